package io.cordon.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererListener;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;
import io.cordon.api.Renderers;
import io.cordon.bench.payload.PayloadActivator;

/**
 * One run of {@code bench:hotdeploy}: a renderer type with two running renderers and its bundles in
 * its default folder ({@code <deploy>/renderers/hotbench/}); a small bundle is dropped there (moved in
 * atomically), replaced by a new version again and again, then deleted. Each time is measured from the
 * move to main receiving the answers of both renderers that the bundle is active (or gone), as posted
 * on EventAdmin ({@code cordon/renderer/BUNDLE}). Then the same with {@code bundle.update=restart}: drop
 * to both renderers READY again. The baseline is the same bundle updated in main's own framework.
 */
final class HotDeployBench implements AutoCloseable {

    static final String TYPE = "hotbench";
    private static final String PAYLOAD = "io.cordon.bench.hotdeploy.payload";
    private static final String JAR = "payload.jar";
    private static final int RENDERERS = 2;
    private static final int MAX_RESTART_DROPS = 3;
    private static final long WAIT_MS = 120_000;

    private record Ack(long nanos, int id, String operation, String location, String result, String detail) {
    }

    private final BundleContext context;
    private final Renderers renderers;
    private final ConfigurationAdmin configAdmin;
    private final Path workDir;
    private final Path folder;
    private final BlockingQueue<Ack> acks = new LinkedBlockingQueue<>();
    private final BlockingQueue<RendererEvent> events = new LinkedBlockingQueue<>();
    private final ServiceRegistration<EventHandler> ackHandler;
    private final ServiceRegistration<RendererListener> listener;
    private Configuration type;
    private int drops;

    HotDeployBench(BundleContext context, Renderers renderers, ConfigurationAdmin configAdmin, Path parentDir) throws IOException {
        this.context = context;
        this.renderers = renderers;
        this.configAdmin = configAdmin;
        Files.createDirectories(parentDir);
        this.workDir = Files.createTempDirectory(parentDir, "hotdeploy-");
        String deploy = context.getProperty("felix.fileinstall.dir");
        if (deploy == null) {
            throw new IllegalStateException("framework property felix.fileinstall.dir is not set; use bench/run hotdeploy");
        }
        this.folder = Path.of(deploy).toAbsolutePath().resolve("renderers").resolve(TYPE);
        Dictionary<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, RendererEvent.BUNDLE_TOPIC));
        this.ackHandler = context.registerService(EventHandler.class, e -> acks.add(new Ack(System.nanoTime(), (Integer) e.getProperty("id"),
                (String) e.getProperty("operation"), (String) e.getProperty("location"), (String) e.getProperty("result"),
                String.valueOf(e.getProperty("detail")))), topics);
        this.listener = context.registerService(RendererListener.class, events::add, null);
    }

    Figures run(int count) throws Exception {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        type = configAdmin.getFactoryConfiguration(RendererType.FACTORY_PID, TYPE, "?");
        configure("update");
        List<Integer> ids = awaitRenderers();
        Files.createDirectories(folder);

        long install = drop(ids, "install");
        Samples updates = new Samples();
        for (int i = 0; i < count; i++) {
            updates.add(drop(ids, "update"));
        }
        long uninstall = timed(ids, "uninstall", () -> Files.delete(folder.resolve(JAR)));

        configure("restart");
        Samples restarts = new Samples();
        for (int i = 0; i < Math.min(count, MAX_RESTART_DROPS); i++) {
            restarts.add(dropAndAwaitRestarts(ids));
        }
        Samples local = localUpdates(count);
        return new Figures()
                .put("bench.cpus", Runtime.getRuntime().availableProcessors())
                .put("bench.loadavg", String.format(Locale.ROOT, "%.2f", load))
                .put("hotdeploy.renderers", ids.size())
                .put("hotdeploy.samples", updates.size())
                .put("hotdeploy.latency_ms", updates.percentileMs(50))
                .durations("hotdeploy.latency", updates)
                .put("hotdeploy.install_ms", ms(install))
                .put("hotdeploy.uninstall_ms", ms(uninstall))
                .put("hotdeploy.restart_samples", restarts.size())
                .durations("hotdeploy.restart", restarts)
                .durations("hotdeploy.baseline_local_update", local);
    }

    /** The bench type: two renderers, bundles from the default folder, the given bundle.update policy. */
    private void configure(String bundleUpdate) throws IOException, InterruptedException {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", TYPE);
        properties.put("instances", RENDERERS);
        properties.put("restart", "never");
        properties.put("bundle.update", bundleUpdate);
        type.update(properties);
        RendererType.BundleUpdatePolicy wanted = RendererType.BundleUpdatePolicy.valueOf(bundleUpdate.toUpperCase(Locale.ROOT));
        waitFor("renderer type " + TYPE + " with bundle.update=" + bundleUpdate,
                () -> renderers.types().stream().anyMatch(t -> t.name().equals(TYPE) && t.bundleUpdate() == wanted));
    }

    private List<Integer> awaitRenderers() throws InterruptedException {
        waitFor(RENDERERS + " READY renderers of type " + TYPE, () -> running().size() == RENDERERS
                && running().stream().allMatch(r -> r.state() == RendererState.READY));
        return running().stream().map(RendererInfo::id).sorted().toList();
    }

    private List<RendererInfo> running() {
        return renderers.list().stream().filter(r -> r.type().equals(TYPE)).toList();
    }

    /** Drops a new version of the payload and waits for both renderers to answer that it is active. */
    private long drop(List<Integer> ids, String operation) throws Exception {
        Path staged = payload(++drops);
        return timed(ids, operation, () -> Files.move(staged, folder.resolve(JAR), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING));
    }

    private interface FileChange {
        void apply() throws IOException;
    }

    private long timed(List<Integer> ids, String operation, FileChange change) throws Exception {
        acks.clear();
        long start = System.nanoTime();
        change.apply();
        Set<Integer> waiting = new HashSet<>(ids);
        long last = start;
        while (!waiting.isEmpty()) {
            Ack ack = next(acks, a -> a.operation().equals(operation) && a.location().endsWith("/" + JAR), operation + " acks from " + waiting);
            if (!ack.result().equals("ok")) {
                throw new IllegalStateException("renderer " + ack.id() + " could not " + operation + " the payload: " + ack.detail());
            }
            if (waiting.remove(ack.id())) {
                last = ack.nanos();
            }
        }
        return last - start;
    }

    /** bundle.update=restart: drop to every renderer of the type READY again (restarted one at a time). */
    private long dropAndAwaitRestarts(List<Integer> ids) throws Exception {
        Path staged = payload(++drops);
        events.clear();
        long start = System.nanoTime();
        Files.move(staged, folder.resolve(JAR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Set<Integer> waiting = new HashSet<>(ids);
        while (!waiting.isEmpty()) {
            RendererEvent e = next(events, ev -> ev.kind() == RendererEvent.Kind.READY || ev.kind() == RendererEvent.Kind.GONE,
                    "renderers " + waiting + " READY again");
            if (e.kind() == RendererEvent.Kind.READY) {
                waiting.remove(e.renderer().id());
            }
        }
        return System.nanoTime() - start;
    }

    /** The baseline: the same payload versions installed once and updated in main's own framework. */
    private Samples localUpdates(int count) throws Exception {
        Samples samples = new Samples();
        Bundle bundle;
        try (InputStream in = Files.newInputStream(payload(++drops))) {
            bundle = context.installBundle("bench:" + PAYLOAD, in);
        }
        try {
            bundle.start();
            for (int i = 0; i < count; i++) {
                Path jar = payload(++drops);
                long start = System.nanoTime();
                try (InputStream in = Files.newInputStream(jar)) {
                    bundle.update(in);
                }
                if (bundle.getState() != Bundle.ACTIVE) {
                    throw new IllegalStateException(PAYLOAD + " is not active in main after an update");
                }
                samples.add(System.nanoTime() - start);
            }
        } finally {
            bundle.uninstall();
        }
        return samples;
    }

    /** Version {@code n} of the payload bundle, written in the work folder (bench/run keeps it on the deploy folder's file system). */
    private Path payload(int n) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", PAYLOAD);
        main.putValue("Bundle-Version", "1." + n + ".0");
        main.putValue("Bundle-Activator", PayloadActivator.class.getName());
        main.putValue("Import-Package", "org.osgi.framework");
        Path target = workDir.resolve("payload-" + n + ".jar");
        String entry = PayloadActivator.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out, manifest);
             InputStream classBytes = PayloadActivator.class.getResourceAsStream("/" + entry)) {
            jar.putNextEntry(new JarEntry(entry));
            classBytes.transferTo(jar);
        }
        return target;
    }

    private static <T> T next(BlockingQueue<T> queue, Predicate<T> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline) {
            T item = queue.poll(100, TimeUnit.MILLISECONDS);
            if (item != null && wanted.test(item)) {
                return item;
            }
        }
        throw new IllegalStateException("no " + what + " within " + WAIT_MS + " ms");
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + WAIT_MS + " ms");
            }
            Thread.sleep(50);
        }
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1_000_000.0);
    }

    /** Removes the type (its renderers stop), the payload and the staging folder. */
    @Override
    public void close() throws IOException {
        ackHandler.unregister();
        listener.unregister();
        if (type != null) {
            type.delete();
            try {
                waitFor("renderers of type " + TYPE + " gone", () -> running().isEmpty());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException e) {
                System.err.println("bench:hotdeploy: " + e.getMessage());
            }
        }
        SpawnBench.deleteRecursively(folder);
        SpawnBench.deleteRecursively(workDir);
    }
}
