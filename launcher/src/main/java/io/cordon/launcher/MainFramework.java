package io.cordon.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/** The main Felix framework: created from the launcher config, provisioned from {@code bundle/}. */
final class MainFramework {

    private static final long STOP_TIMEOUT_MS = 30_000;
    private static final String LOG_BUNDLE = "org.apache.felix.log-";
    private static final String SHELL_BUNDLES = "org.apache.felix.gogo.";
    private static final String EVENT_ADMIN = "org.apache.felix.eventadmin";

    private final Map<String, String> config;
    private final PrintStream err;
    private final Framework framework;

    MainFramework(Map<String, String> config, RunFolder tmp, PrintStream err) {
        this.config = config;
        this.err = err;
        Map<String, String> properties = new HashMap<>(config);
        properties.put(Constants.FRAMEWORK_STORAGE, Path.of(config.get(LauncherConfig.DATA)).resolve("main").toString());
        properties.putIfAbsent(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.putIfAbsent("felix.fileinstall.dir", config.get(LauncherConfig.DEPLOY));
        properties.putIfAbsent(RunFolder.FILEINSTALL_TMPDIR, tmp.path().toString());
        // OSGi R7 loggers default to WARN; let them emit what the chosen console level shows.
        properties.putIfAbsent("org.osgi.service.log.admin.loglevel", config.get(LauncherConfig.LOG_LEVEL).toUpperCase(Locale.ROOT));
        // The launcher runs the console itself (InteractiveShell, CommandRunner): gogo.jline must not
        // start a shell on stdin (it would stop the framework at EOF), nor touch the terminal, and its
        // login profile is an empty one.
        properties.put("gosh.args", "--nointeractive");
        System.setProperty("gosh.home", Path.of(config.get(LauncherConfig.HOME)).resolve("conf/gogo").toString());
        System.setProperty("org.jline.terminal.provider", "dumb");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/ is incomplete)"));
        this.framework = factory.newFramework(properties);
    }

    /**
     * Installs every jar in {@code bundle/} and starts the framework. Bundles start in file name order, except that
     * the log service goes first, so that nothing other bundles log at start-up is lost, and the shell's (Gogo) last:
     * nothing needs it before start-up has settled, and the renderers start sooner. Felix copies each jar into its
     * cache (not {@code reference:}), so that rebuilding the distribution under a running main cannot change its classes.
     */
    void start() throws BundleException, IOException {
        // FileInstall complains on stdout (the script's channel) about a missing folder: create it.
        Files.createDirectories(Path.of(config.get(LauncherConfig.DEPLOY)));
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : bundleJars()) {
            installed.add(context.installBundle(jar.toUri().toString()));
        }
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                // Persistent start: each bundle starts when the framework reaches its start level.
                bundle.start();
            }
        }
        framework.start();
        for (Bundle bundle : installed) {
            if (bundle.getState() != Bundle.ACTIVE && bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                err.println("cordon: bundle " + bundle.getSymbolicName() + " is not active (state " + bundle.getState() + ")");
            }
        }
    }

    private List<Path> bundleJars() throws IOException {
        Path dir = Path.of(config.get(LauncherConfig.HOME)).resolve("bundle");
        if (!Files.isDirectory(dir)) {
            throw new IOException("no bundle folder at " + dir + "; pass --home with the distribution folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar"))
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith(LOG_BUNDLE))
                            .thenComparing((Path p) -> p.getFileName().toString().startsWith(SHELL_BUNDLES))
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
        }
    }

    /**
     * Waits until a service carries {@code cordon.settled=true}: Cordon's runtime is up and its
     * default work (start-up renderers) is READY or has failed. False when the timeout passed.
     */
    boolean awaitSettled(long timeoutMs) throws InterruptedException {
        BundleContext context = framework.getBundleContext();
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context, context.createFilter("(cordon.settled=true)"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open(true);
        try {
            return tracker.waitForService(timeoutMs) != null;
        } finally {
            tracker.close();
        }
    }

    /**
     * EventAdmin goes first: stopped among the others, it shuts its thread pool while the bundles
     * stopping after it still post events, and prints warnings (RejectedExecutionException, "Event
     * Task Processing Interrupted") to stdout. Without it, publishers find no EventAdmin and post nothing.
     */
    private void stopEventAdmin() throws BundleException {
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (EVENT_ADMIN.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                bundle.stop(Bundle.STOP_TRANSIENT);
            }
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    String frameworkVersion() {
        return framework.getVersion().toString();
    }

    /** Blocks until the framework has stopped (Felix's {@code stop 0}, say, or {@link #stop}). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    boolean isActive() {
        return (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0;
    }

    /** Stops the framework and waits for it; true when it stopped in time. */
    boolean stop() {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                stopEventAdmin();
                framework.stop();
            }
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
            return event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
        } catch (BundleException | InterruptedException e) {
            err.println("cordon: stopping the framework failed: " + e);
            return false;
        }
    }
}
