package io.cordon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.RendererType;
import io.cordon.api.Renderers;
import io.cordon.bench.cpu.SpinnerActivator;
import io.cordon.bench.ipc.BundleJar;
import io.cordon.bench.ipc.api.BenchTarget;
import io.cordon.bench.ipc.callee.BenchTargetActivator;

/**
 * One run of {@code bench:cpu}: an honest renderer's call round trip from main, alone (the baseline),
 * then while a renderer spins on every core at main's priority ({@code nice=0}), then at the default
 * ({@code nice=10}), then alone again (how much a busy machine drifted over the run); beside each, how late
 * main's own 1 ms sleeps wake up, and how much CPU the spinner got.
 * Everything it starts is gone when it returns.
 */
final class CpuBench implements AutoCloseable {

    private static final long WAIT_MS = 60_000;
    private static final long WARMUP_MS = 2_000;

    private final BundleContext context;
    private final Renderers renderers;
    private final ConfigurationAdmin configAdmin;
    private final Path workDir;
    private final List<Configuration> types = new ArrayList<>();
    private final List<RendererInfo> running = new ArrayList<>();

    CpuBench(BundleContext context, Renderers renderers, ConfigurationAdmin configAdmin, Path parentDir) throws IOException {
        this.context = context;
        this.renderers = renderers;
        this.configAdmin = configAdmin;
        Files.createDirectories(parentDir);
        this.workDir = Files.createTempDirectory(parentDir, "cpu-");
    }

    /** Figures of three phases of {@code seconds} each. */
    Figures run(int seconds) throws Exception {
        Figures figures = new Figures().host(Figures.loadAverage());
        BenchTarget target = honestRenderer();
        long warm = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WARMUP_MS);
        while (System.nanoTime() < warm) {
            target.ping("warm");
        }
        long windowNanos = TimeUnit.SECONDS.toNanos(seconds);
        measure(figures, "cpu.alone", windowNanos, target);
        for (int nice : new int[] {0, RendererType.Resources.DEFAULT.nice()}) {
            RendererInfo spinner = spawn(type("bench-cpu-spinner-nice" + nice, spinnerBundles(), Map.of("nice", nice)));
            long cpuBefore = ProcStat.cpuTicks(spinner.pid());
            measure(figures, "cpu.spinner_nice" + nice, windowNanos, target);
            figures.put("cpu.spinner_nice" + nice + ".spinner_cpu_s",
                    String.format(Locale.ROOT, "%.2f", (ProcStat.cpuTicks(spinner.pid()) - cpuBefore) / 100.0));
            stop(spinner);
        }
        measure(figures, "cpu.alone_again", windowNanos, target);
        return figures.put("cpu.phase_s", seconds);
    }

    /** Pings of the honest renderer, one after the other for {@code windowNanos}, while a thread of main sleeps 1 ms at a time. */
    private static void measure(Figures figures, String prefix, long windowNanos, BenchTarget target) throws InterruptedException {
        Samples rtt = new Samples();
        Samples late = new Samples();
        AtomicBoolean measuring = new AtomicBoolean(true);
        Thread ticker = new Thread(() -> {
            while (measuring.get()) {
                long start = System.nanoTime();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (late) {
                    late.add(Math.max(0, System.nanoTime() - start - 1_000_000));
                }
            }
        }, "bench-cpu-main-ticker");
        ticker.start();
        long end = System.nanoTime() + windowNanos;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            target.ping("ping");
            rtt.add(System.nanoTime() - start);
        }
        measuring.set(false);
        ticker.join();
        figures.put(prefix + ".calls", rtt.size()).put(prefix + ".call_rtt_p50_us", rtt.percentileUs(50)).put(prefix + ".call_rtt_p99_us", rtt.percentileUs(99))
                .put(prefix + ".main_sleep_1ms_late_p50_us", late.percentileUs(50))
                .put(prefix + ".main_sleep_1ms_late_p99_us", late.percentileUs(99));
    }

    private BenchTarget honestRenderer() throws Exception {
        Path preload = Files.createDirectories(workDir.resolve("preload"));
        Path bundles = Files.createDirectories(workDir.resolve("honest"));
        BundleJar.write(preload.resolve("bench-api.jar"), "io.cordon.bench.ipc.api", List.of(BenchTarget.class),
                "Export-Package", "io.cordon.bench.ipc.api;version=\"1.0.0\"", "Import-Package", "org.osgi.util.promise");
        BundleJar.write(bundles.resolve("bench-target.jar"), "io.cordon.bench.ipc.callee", List.of(BenchTargetActivator.class),
                "Bundle-Activator", BenchTargetActivator.class.getName(),
                "Import-Package", "org.osgi.framework,org.osgi.util.promise,io.cordon.bench.ipc.api");
        RendererInfo honest = spawn(type("bench-cpu-honest", bundles,
                Map.of("preload", preload.toString(), "provides", BenchTarget.class.getName())));
        String filter = "(cordon.renderer.id=" + honest.id() + ")";
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            Collection<ServiceReference<BenchTarget>> refs = references(filter);
            if (!refs.isEmpty()) {
                return context.getService(refs.iterator().next());
            }
            pause(deadline, "BenchTarget of renderer " + honest.id());
        }
    }

    private Path spinnerBundles() throws IOException {
        Path bundles = Files.createDirectories(workDir.resolve("spinner"));
        BundleJar.write(bundles.resolve("spinner.jar"), "io.cordon.bench.cpu", List.of(SpinnerActivator.class),
                "Bundle-Activator", SpinnerActivator.class.getName(), "Import-Package", "org.osgi.framework");
        return bundles;
    }

    /** A type of no instances of its own, {@code settings} on top; returns its name once the supervisor knows it. */
    private String type(String name, Path bundles, Map<String, Object> settings) throws Exception {
        Configuration config = configAdmin.getFactoryConfiguration(RendererType.FACTORY_PID, name, "?");
        types.add(config);
        Hashtable<String, Object> p = new Hashtable<>(settings);
        p.put("name", name);
        p.put("instances", 0);
        p.put("restart", "never");
        p.put("bundles", bundles.toString());
        config.update(p);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (renderers.types().stream().noneMatch(t -> t.name().equals(name))) {
            pause(deadline, "renderer type " + name);
        }
        return name;
    }

    private RendererInfo spawn(String type) throws Exception {
        RendererInfo r = await(renderers.spawn(type));
        running.add(r);
        return r;
    }

    private void stop(RendererInfo r) throws Exception {
        await(renderers.stop(r.id()));
        running.remove(r);
    }

    private Collection<ServiceReference<BenchTarget>> references(String filter) {
        try {
            return context.getServiceReferences(BenchTarget.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        Cleanup.run("stopping the CPU bench's renderers", () -> {
            for (RendererInfo r : List.copyOf(running)) {
                stop(r);
            }
            for (Configuration type : types) {
                type.delete();
            }
        });
    }

    private static void pause(long deadline, String what) throws InterruptedException {
        if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(what + " did not appear within " + WAIT_MS + " ms");
        }
        Thread.sleep(20);
    }

    private static <T> T await(Promise<T> promise) throws Exception {
        Throwable failure = promise.getFailure();
        if (failure instanceof Exception e) {
            throw e;
        }
        return promise.getValue();
    }

    /** utime + stime of a process from /proc/PID/stat (fields 14 and 15; the name, field 2, may hold spaces). */
    private static final class ProcStat {
        static long cpuTicks(long pid) throws IOException {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
        }
    }
}
