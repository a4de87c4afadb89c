package io.cordon.renderer.boot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FramedChannel;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.channel.StartupPhases;

/**
 * The renderer's Felix framework, built from what main sends: CONFIG creates it, BUNDLE installs one
 * bundle at its start level; WARM (a spare renderer) starts Cordon's runtime bundles and answers SPARE, then
 * the renderer waits for a type; ADOPT gives it its identity (before its type's bundles); START starts the
 * runtime if WARM did not, has the RSA greet main, raises the start level (preload bundles before renderer
 * bundles) and answers READY once every bundle is active (with a HEALTH report before it saying whether every
 * bundle is active and every component satisfied), else FAILED with the causes. Later, hot deploy
 * installs, updates and uninstalls bundles in the running framework ({@link BundleDeployer}).
 */
final class RendererFramework {

    private static final long START_TIMEOUT_MS = 120_000;
    private static final long RUNTIME_WAIT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final long HEALTH_SETTLE_MS = 2_000;

    private final FramedChannel channel;
    private final StartupClock clock;
    private final List<Bundle> installed = new CopyOnWriteArrayList<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final HealthReports health;
    private final BundleDeployer deployer;
    private volatile Framework framework;
    private volatile boolean spare;
    private volatile boolean adopted;
    /** Set once the runtime bundles started (by WARM or START); guarded by {@code this}. */
    private boolean warmed;

    RendererFramework(FramedChannel channel, StartupClock clock) {
        this.channel = channel;
        this.clock = clock;
        channel.handle(FrameType.CONFIG, this::configure);
        channel.handle(FrameType.BUNDLE, this::install);
        channel.handle(FrameType.WARM, m -> {
            spare = true;
            thread("cordon-renderer-warm", this::warmAsSpare);
        });
        channel.handle(FrameType.ADOPT, this::adopt);
        channel.handle(FrameType.START, m -> {
            if (!adopted) {
                throw new ProtocolException("START before ADOPT");
            }
            thread("cordon-renderer-start", this::start);
        });
        channel.handle(FrameType.SHUTDOWN, m -> thread("cordon-renderer-shutdown", this::shutdown));
        channel.handle(FrameType.PING, this::pong);
        this.health = new HealthReports(channel, () -> framework);
        this.deployer = new BundleDeployer(channel, () -> framework, health);
    }

    private void configure(Frame message) throws IOException {
        if (framework != null) {
            throw new ProtocolException("CONFIG sent twice");
        }
        Map<String, String> properties = new HashMap<>(Messages.map(message.payload()));
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, classPathExports());
        Framework created = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the renderer's class path"))
                .newFramework(properties);
        try {
            created.init();
        } catch (BundleException e) {
            throw new IOException("cannot initialise the renderer framework: " + e.getMessage(), e);
        }
        created.getBundleContext().addFrameworkListener(this::recordError);
        created.getBundleContext().registerService(Channel.class, new StampingChannel(channel, clock), null);
        framework = created;
        clock.mark(StartupPhases.FRAMEWORK);
    }

    private void install(Frame message) throws IOException {
        Messages.BundleMessage bundle = Messages.BundleMessage.decode(message.payload());
        try {
            BundleContext context = requireFramework().getBundleContext();
            Bundle b = bundle.isReference() ? context.installBundle(bundle.location())
                    : context.installBundle(bundle.location(), new ByteArrayInputStream(bundle.jar()));
            b.adapt(BundleStartLevel.class).setStartLevel(bundle.startLevel());
            installed.add(b);
        } catch (BundleException e) {
            errors.add("cannot install " + bundle.location() + ": " + e.getMessage());
        }
    }

    /** WARM: the runtime up, then SPARE (or FAILED); the renderer then waits for ADOPT. */
    private void warmAsSpare() {
        try {
            warm();
            rehearse();
        } catch (Exception e) {
            errors.add("start failed: " + stackTrace(e));
        }
        report(FrameType.SPARE);
    }

    /** The renderer's identity, as system properties (the framework's getProperty falls back to them); once. */
    private void adopt(Frame message) throws IOException {
        if (adopted) {
            throw new ProtocolException("ADOPT sent twice");
        }
        Map<String, String> identity = Messages.map(message.payload());
        for (String key : Contract.ADOPTION_PROPERTIES) {
            String value = identity.get(key);
            if (value == null) {
                throw new ProtocolException("ADOPT without " + key);
            }
            System.setProperty(key, value);
        }
        if (spare) {
            clock.restart(); // its start-up is what follows the adoption
            health.forget();
        }
        adopted = true;
    }

    /**
     * A spare installs, starts and uninstalls an empty bundle of its own making, so that the first bundle of its
     * type is not the first one this framework copies in from bytes (its runtime is installed in place): that code
     * is loaded and has run once, which takes milliseconds off the adoption.
     */
    private void rehearse() throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.putValue("Manifest-Version", "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, "io.cordon.renderer.rehearsal");
        main.putValue(Constants.IMPORT_PACKAGE, "org.osgi.framework");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new JarOutputStream(bytes, manifest).close();
        Bundle b = requireContext().installBundle("cordon:rehearsal", new ByteArrayInputStream(bytes.toByteArray()));
        try {
            b.start();
            b.stop();
        } finally {
            b.uninstall();
        }
    }

    /**
     * Starts the framework to start level 1 with the bundles installed so far, Cordon's runtime, and waits until
     * the runtime is up; once (a spare did it at WARM).
     */
    private synchronized void warm() throws Exception {
        if (warmed) {
            return;
        }
        warmed = true;
        Framework f = requireFramework();
        for (Bundle b : installed) {
            if (!isFragment(b)) {
                b.start();
            }
        }
        f.start();
        awaitRuntime();
        clock.mark(StartupPhases.RUNTIME);
    }

    private void start() {
        clock.mark(StartupPhases.INSTALLED);
        try {
            warm();
            if (!errors.isEmpty()) {
                report(FrameType.READY);
                return;
            }
            handshake();
            int topLevel = 1;
            for (Bundle b : installed) {
                topLevel = Math.max(topLevel, b.adapt(BundleStartLevel.class).getStartLevel());
                if (!isFragment(b) && b.getState() != Bundle.ACTIVE) {
                    b.start(); // above the active start level: marked, started as the level rises
                }
            }
            CountDownLatch reached = new CountDownLatch(1);
            requireFramework().adapt(FrameworkStartLevel.class).setStartLevel(topLevel, e -> reached.countDown());
            if (!reached.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                errors.add("bundles did not finish starting within " + START_TIMEOUT_MS + " ms");
            }
            installed.stream().filter(b -> !isFragment(b) && b.getState() != Bundle.ACTIVE).forEach(this::explainInactive);
            if (errors.isEmpty()) {
                // A component its bundle activates on a thread of its own gets a moment before health is reported.
                health.awaitAsBefore(Health.OK, HEALTH_SETTLE_MS);
            }
            report(FrameType.READY);
        } catch (Exception e) {
            errors.add("start failed: " + stackTrace(e));
            report(FrameType.READY);
        }
    }

    /** The renderer's RSA greets main and waits for its endpoints, so the preload bundles find their proxies. */
    private void handshake() {
        BundleContext context = requireContext();
        ServiceReference<?> ref = handshakeService(context);
        if (ref == null || !(context.getService(ref) instanceof Runnable greeting)) {
            errors.add("the renderer runtime's RSA handshake is not registered");
            return;
        }
        try {
            greeting.run();
        } finally {
            context.ungetService(ref);
        }
    }

    /**
     * Felix reports a failed activation as a framework event, delivered asynchronously; a transient
     * start attempt now gives the cause synchronously, so FAILED always carries it.
     */
    private void explainInactive(Bundle b) {
        String what = b.getSymbolicName() + " " + b.getVersion() + " is not active";
        try {
            b.start(Bundle.START_TRANSIENT);
            errors.add(what + " (it started on a second attempt)");
        } catch (BundleException | RuntimeException e) {
            errors.add(what + ": " + stackTrace(e));
        }
    }

    /**
     * The child runtime bundle registers the EXEC handler, the health probe and the RSA handshake; READY (and
     * SPARE) promise that exec and health work.
     */
    private void awaitRuntime() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUNTIME_WAIT_MS);
        while (!runtimeUp() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!runtimeUp()) {
            errors.add("the Cordon renderer runtime (io.cordon.renderer) did not register within " + RUNTIME_WAIT_MS + " ms");
        }
    }

    private boolean runtimeUp() {
        BundleContext context = framework.getBundleContext();
        return channel.handles(FrameType.EXEC) && health.probeAvailable() && context != null && handshakeService(context) != null;
    }

    private static ServiceReference<?> handshakeService(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Runnable.class.getName(),
                    "(" + Contract.RSA_HANDSHAKE_PROPERTY + "=handshake)");
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * READY (after the renderer's health, so main knows at once whether it works) or SPARE, as {@code success}
     * says, or FAILED with the causes.
     */
    private void report(byte success) {
        try {
            if (errors.isEmpty()) {
                if (success == FrameType.READY) {
                    health.report();
                    clock.mark(StartupPhases.READY);
                }
                channel.send(success, 0, clock.encode());
            } else {
                channel.send(FrameType.FAILED, 0, Messages.utf8(String.join("\n", errors)));
            }
        } catch (IOException e) {
            System.err.println("cordon-renderer: cannot report to main: " + e.getMessage());
        }
    }

    /** Framework-level errors; a bundle's own failure is explained by {@link #explainInactive}. */
    private void recordError(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && (event.getBundle() == null || event.getBundle().getBundleId() == 0)) {
            errors.add("framework: " + (event.getThrowable() == null ? "error" : stackTrace(event.getThrowable())));
        }
    }

    /** Answers a heartbeat with heap figures, and has the health checked (off this reader thread). */
    private void pong(Frame message) throws IOException {
        Runtime rt = Runtime.getRuntime();
        Map<String, String> stats = Map.of(
                "heap.used", Long.toString(rt.totalMemory() - rt.freeMemory()),
                "heap.max", Long.toString(rt.maxMemory()));
        channel.send(FrameType.PONG, message.stream(), Messages.map(stats));
        deployer.checkHealth();
    }

    private void shutdown() {
        stop(STOP_TIMEOUT_MS);
        Runtime.getRuntime().halt(0);
    }

    /** Main is gone: give bundles a moment to stop, no more (a renderer must exit within a second). */
    void stopQuickly() {
        stop(300);
    }

    private void stop(long timeoutMs) {
        Framework f = framework;
        if (f == null) {
            return;
        }
        try {
            f.stop();
            f.waitForStop(timeoutMs);
        } catch (BundleException | InterruptedException e) {
            System.err.println("cordon-renderer: stopping the framework failed: " + e);
        }
    }

    private BundleContext requireContext() {
        Framework f = framework;
        BundleContext context = f == null ? null : f.getBundleContext();
        if (context == null) {
            throw new IllegalStateException("the renderer framework is not running");
        }
        return context;
    }

    private Framework requireFramework() throws ProtocolException {
        Framework f = framework;
        if (f == null) {
            throw new ProtocolException("bundle or start before CONFIG");
        }
        return f;
    }

    private static boolean isFragment(Bundle b) {
        return b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }

    /**
     * The system bundle exports what the library bundles on the class path export: io.cordon.common (the channel,
     * shared with the boot code) and Jackson. Loaded by the application class loader, their classes go into the
     * renderer's class-data archive, which on Java 17 cannot hold a bundle's classes (each bundle has its own
     * loader); Jackson is the largest part of a cold renderer's start.
     */
    private static String classPathExports() throws IOException {
        Path framework;
        try {
            framework = Path.of(FrameworkFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the framework jar: " + e.getMessage(), e);
        }
        List<String> exports = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!Files.isRegularFile(jar) || Files.isSameFile(jar, framework)) {
                continue;
            }
            // the manifest only: it comes first in a jar, so nothing else is read
            try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
                Manifest manifest = in.getManifest();
                String exported = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
                if (exported != null) {
                    exports.add(exported);
                }
            }
        }
        String channel = Channel.class.getPackageName();
        if (exports.stream().noneMatch(e -> e.contains(channel + ";"))) {
            throw new IOException("no jar on the renderer's class path exports " + channel + "; the renderer class path is wrong");
        }
        return String.join(",", exports);
    }

    private static void thread(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString().stripTrailing();
    }
}

