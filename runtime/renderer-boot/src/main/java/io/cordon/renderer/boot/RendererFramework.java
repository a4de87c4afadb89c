package io.cordon.renderer.boot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FramedChannel;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.ProtocolException;

/**
 * The renderer's Felix framework, built from what main sends: CONFIG creates it, BUNDLE installs one
 * bundle at its start level, START raises the start level (preload bundles before renderer bundles)
 * and answers READY once the renderer runtime is up (with a HEALTH report before it saying whether every
 * bundle is active and every component satisfied), else FAILED with the causes. Later, hot deploy
 * installs, updates and uninstalls bundles in the running framework ({@link BundleDeployer}).
 */
final class RendererFramework {

    private static final long START_TIMEOUT_MS = 120_000;
    private static final long RUNTIME_WAIT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final long HEALTH_SETTLE_MS = 2_000;

    private final FramedChannel channel;
    private final List<Bundle> installed = new ArrayList<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final HealthReports health;
    private final BundleDeployer deployer;
    private volatile Framework framework;

    RendererFramework(FramedChannel channel) {
        this.channel = channel;
        channel.handle(FrameType.CONFIG, this::configure);
        channel.handle(FrameType.BUNDLE, this::install);
        channel.handle(FrameType.START, m -> thread("cordon-renderer-start", this::start));
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
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, channelPackageExports());
        Framework created = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the renderer's class path"))
                .newFramework(properties);
        try {
            created.init();
        } catch (BundleException e) {
            throw new IOException("cannot initialise the renderer framework: " + e.getMessage(), e);
        }
        created.getBundleContext().addFrameworkListener(this::recordError);
        created.getBundleContext().registerService(Channel.class, channel, null);
        framework = created;
    }

    private void install(Frame message) throws IOException {
        Messages.BundleMessage bundle = Messages.BundleMessage.decode(message.payload());
        try {
            Bundle b = requireFramework().getBundleContext()
                    .installBundle(bundle.location(), new ByteArrayInputStream(bundle.jar()));
            b.adapt(BundleStartLevel.class).setStartLevel(bundle.startLevel());
            installed.add(b);
        } catch (BundleException e) {
            errors.add("cannot install " + bundle.location() + ": " + e.getMessage());
        }
    }

    private void start() {
        try {
            Framework f = requireFramework();
            int topLevel = 1;
            for (Bundle b : installed) {
                topLevel = Math.max(topLevel, b.adapt(BundleStartLevel.class).getStartLevel());
                if (!isFragment(b)) {
                    b.start();
                }
            }
            f.start();
            CountDownLatch reached = new CountDownLatch(1);
            f.adapt(FrameworkStartLevel.class).setStartLevel(topLevel, e -> reached.countDown());
            if (!reached.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                errors.add("bundles did not finish starting within " + START_TIMEOUT_MS + " ms");
            }
            installed.stream().filter(b -> !isFragment(b) && b.getState() != Bundle.ACTIVE).forEach(this::explainInactive);
            awaitRuntime();
            if (errors.isEmpty()) {
                // A component its bundle activates on a thread of its own gets a moment before health is reported.
                health.awaitAsBefore(Health.OK, HEALTH_SETTLE_MS);
            }
            report();
        } catch (Exception e) {
            errors.add("start failed: " + stackTrace(e));
            report();
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

    /** The child runtime bundle registers the EXEC handler and the health probe; READY promises exec and health work. */
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
        return channel.handles(FrameType.EXEC) && health.probeAvailable();
    }

    /** READY (after the renderer's health, so main knows at once whether it works) or FAILED. */
    private void report() {
        try {
            if (errors.isEmpty()) {
                health.report();
                channel.send(FrameType.READY, 0, new byte[0]);
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

    /** The system bundle exports exactly what the io.cordon.common jar on the class path exports. */
    private static String channelPackageExports() throws IOException {
        URL jar = Channel.class.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream in = jar.openStream(); JarInputStream jarIn = new JarInputStream(in)) {
            Manifest manifest = jarIn.getManifest();
            String exports = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null) {
                throw new IOException(jar + " has no Export-Package header; the renderer class path is wrong");
            }
            return exports;
        }
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
