package io.cordon.bench.ipc;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;
import io.cordon.bench.Cleanup;
import io.cordon.bench.JvmCommand;
import io.cordon.bench.ipc.api.BenchSink;
import io.cordon.bench.ipc.api.BenchTarget;
import io.cordon.bench.ipc.callee.BenchTargetActivator;
import io.cordon.bench.ipc.callee.FloodActivator;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * One run of {@code bench:ipc}: calls from main into a renderer's BenchTarget through Cordon's RSA,
 * beside the baseline, a raw frame ping-pong with the same codec between main and a plain child JVM
 * started with the renderer's java and options. Everything it starts is gone when it returns.
 */
public final class IpcBench implements AutoCloseable {

    private static final String TYPE = "bench-ipc";
    private static final String FLOOD_TYPE = "bench-flood";
    private static final String PIPE_TYPE = "bench-ipc-pipe";
    private static final String TARGET_IMPORTS = "org.osgi.framework,org.osgi.util.promise,io.cordon.bench.ipc.api";
    private static final String SINK = "io.cordon.bench.ipc.api.BenchSink";
    private static final long WAIT_MS = 60_000;
    private static final int WARMUP = 5_000;
    private static final long THROUGHPUT_MS = 3_000;
    /** The asynchronous path's warm-up (the synchronous one is warmed by WARMUP calls). */
    private static final long ASYNC_WARMUP_MS = 1_000;
    /**
     * 1 MiB round trips before the timed ones: a child JVM starts with an 8 MiB heap (the renderers' {@code -Xms8m})
     * and grows it over the first such calls, collecting often meanwhile.
     */
    private static final int LARGE_WARMUP = 50;
    private static final int LARGE_CALLS = 100;
    /** After the last call, before idle CPU is measured: lets the JIT and GC threads calm down. */
    private static final long IDLE_SETTLE_MS = 1_000;
    /** How long main and its renderer are watched without calls for ipc.idle_cpu_pct. */
    private static final long IDLE_MS = 10_000;
    /** How many of their busiest threads ipc.idle_cpu_top names. */
    private static final int IDLE_TOP = 8;

    private final BundleContext context;
    private final Renderers renderers;
    private final ConfigurationAdmin configAdmin;
    private final Path baselineDir;
    private final Path workDir;
    private Configuration type;
    private Configuration floodType;
    private Configuration pipeType;
    private RendererInfo overPipe;
    private RendererInfo renderer;
    private RendererInfo flooder;
    private ServiceRegistration<BenchSink> sink;
    private final LongAdder sinkCalls = new LongAdder();
    private RawBaseline raw;

    public IpcBench(BundleContext context, Renderers renderers, ConfigurationAdmin configAdmin, Path baselineDir, Path parentDir)
            throws IOException {
        this.context = context;
        this.renderers = renderers;
        this.configAdmin = configAdmin;
        this.baselineDir = baselineDir;
        Files.createDirectories(parentDir);
        this.workDir = Files.createTempDirectory(parentDir, "ipc-");
    }

    /** Figures as {@code name: value} lines; {@code calls} timed round trips per latency figure. */
    public String run(int calls, WireFormat format) throws Exception {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        BenchTarget target = startRenderer();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < WARMUP; i++) {
            target.ping("warm");
        }
        String transport = transportOf(renderer);
        long[] cordon = time(calls, () -> target.ping("ping"));
        out.add("ipc.transport: " + transport);
        out.add("ipc." + transport + ".call_rtt_p50_us: " + micros(cordon, 50));
        out.add("ipc." + transport + ".call_rtt_p99_us: " + micros(cordon, 99));
        if (!transport.equals("pipe")) {
            out.addAll(overPipe(calls));
        }
        RawBaseline baseline = startRaw(format, false);
        for (int i = 0; i < WARMUP; i++) {
            baseline.call(1, "warm");
        }
        long[] rawPing = time(calls, () -> baseline.call(1, "ping"));
        out.add("ipc.raw_rtt_p50_us: " + micros(rawPing, 50));
        out.add("ipc.raw_rtt_p99_us: " + micros(rawPing, 99));
        out.addAll(rawShm(calls, format));
        out.add("ipc.calls_per_s_1: " + throughput(1, target));
        out.add("ipc.calls_per_s_8: " + throughput(8, target));
        pipelined(8, target, ASYNC_WARMUP_MS);
        out.add("ipc.calls_per_s_8_async: " + pipelined(8, target, THROUGHPUT_MS));
        out.add("ipc.raw_calls_per_s_8: " + baseline.pipelined(8, THROUGHPUT_MS));
        byte[] kib4 = new byte[4096];
        long[] small = time(Math.max(100, calls / 10), () -> target.echo(kib4));
        out.add("ipc.rtt_4kib_us: " + micros(small, 50));
        long[] rawSmall = time(Math.max(100, calls / 10), () -> baseline.call(2, kib4));
        out.add("ipc.raw_rtt_4kib_us: " + micros(rawSmall, 50));
        byte[] mib = new byte[1 << 20];
        time(LARGE_WARMUP, () -> target.echo(mib));
        long[] large = time(LARGE_CALLS, () -> target.echo(mib));
        out.add("ipc.rtt_1mib_ms: " + millis(large, 50));
        time(LARGE_WARMUP, () -> baseline.call(2, mib));
        long[] rawLarge = time(LARGE_CALLS, () -> baseline.call(2, mib));
        out.add("ipc.raw_rtt_1mib_ms: " + millis(rawLarge, 50));
        IdleCpu.Window idle = IdleCpu.watch(Map.of("main", ProcessHandle.current(), "renderer", ProcessHandle.of(renderer.pid()).orElseThrow()),
                IDLE_SETTLE_MS, IDLE_MS, IDLE_TOP);
        out.add("ipc.idle_cpu_pct: " + String.format(Locale.ROOT, "%.1f", idle.percent()));
        out.add("ipc.idle_cpu_top: " + idle.busiest());
        out.addAll(underFlood(target, Math.max(1_000, calls / 4)));
        out.add("ipc.wire_format: " + format.name().toLowerCase(Locale.ROOT));
        out.add("ipc.calls_timed: " + calls);
        out.add("ipc.load_average: " + String.format(Locale.ROOT, "%.2f", load));
        return String.join("\n", out);
    }

    /**
     * An honest renderer's calls into main, alone and while another renderer floods main with calls from
     * every core (the bulkheads: its own threads, queue and budget), and the flood's rate.
     */
    private List<String> underFlood(BenchTarget target, int calls) throws Exception {
        target.callMain(WARMUP);
        long[] alone = sorted(target.callMain(calls));
        floodType = type(configAdmin, renderers, FLOOD_TYPE, workDir.resolve("flood"), "bench-flood.jar", FloodActivator.class,
                "org.osgi.framework,org.osgi.util.tracker,io.cordon.bench.ipc.api", "shm");
        flooder = await(renderers.spawn(FLOOD_TYPE));
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (sinkCalls.sum() < 10_000) {
            pause(deadline, "the flood");
        }
        long before = sinkCalls.sum();
        long start = System.nanoTime();
        long[] flooded = sorted(target.callMain(calls));
        long floodRate = Math.round((sinkCalls.sum() - before - calls) * 1e9 / (System.nanoTime() - start));
        await(renderers.stop(flooder.id()));
        flooder = null;
        return List.of("ipc.renderer_call_rtt_p50_us: " + micros(alone, 50), "ipc.renderer_call_rtt_p99_us: " + micros(alone, 99),
                "ipc.renderer_call_rtt_p50_us_flooded: " + micros(flooded, 50),
                "ipc.renderer_call_rtt_p99_us_flooded: " + micros(flooded, 99), "ipc.flood_calls_per_s: " + floodRate);
    }

    private BenchTarget startRenderer() throws Exception {
        Hashtable<String, Object> remotable = new Hashtable<>();
        remotable.put("service.exported.interfaces", "*");
        sink = context.registerService(BenchSink.class, text -> {
            sinkCalls.increment();
            return text;
        }, remotable);
        type = targetType(configAdmin, renderers, TYPE, workDir);
        renderer = await(renderers.spawn(TYPE));
        return target(context, renderer.id());
    }

    /** A renderer type {@code name} whose renderers export BenchTarget to main; its files under {@code dir}. */
    static Configuration targetType(ConfigurationAdmin configAdmin, Renderers renderers, String name, Path dir) throws Exception {
        return type(configAdmin, renderers, name, dir, "bench-target.jar", BenchTargetActivator.class, TARGET_IMPORTS, "shm");
    }

    /** Main's proxy of the BenchTarget that renderer {@code id} exports, once it is imported. */
    static BenchTarget target(BundleContext context, int id) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        String filter = "(cordon.renderer.id=" + id + ")";
        while (true) {
            Collection<ServiceReference<BenchTarget>> refs = references(context, filter);
            if (!refs.isEmpty()) {
                return context.getService(refs.iterator().next());
            }
            pause(deadline, "BenchTarget of renderer " + id);
        }
    }

    /** The same calls into a renderer of a type with transport=pipe. */
    private List<String> overPipe(int calls) throws Exception {
        pipeType = type(configAdmin, renderers, PIPE_TYPE, workDir.resolve("pipe"), "bench-target.jar", BenchTargetActivator.class,
                TARGET_IMPORTS, "pipe");
        overPipe = await(renderers.spawn(PIPE_TYPE));
        BenchTarget target = target(context, overPipe.id());
        for (int i = 0; i < WARMUP; i++) {
            target.ping("warm");
        }
        long[] pipe = time(calls, () -> target.ping("ping"));
        await(renderers.stop(overPipe.id()));
        overPipe = null;
        return List.of("ipc.pipe.call_rtt_p50_us: " + micros(pipe, 50), "ipc.pipe.call_rtt_p99_us: " + micros(pipe, 99));
    }

    /** shm when the renderer maps its (deleted) ring file, else pipe: what it got, not what its type asked for. */
    private static String transportOf(RendererInfo r) throws IOException {
        String maps = Files.readString(Path.of("/proc", Long.toString(r.pid()), "maps"));
        return maps.contains("channel.shm (deleted)") ? "shm" : "pipe";
    }

    /** A renderer type whose preload is the bench API (main's BenchSink exposed and whitelisted) and whose bundle is {@code activator}. */
    private static Configuration type(ConfigurationAdmin configAdmin, Renderers renderers, String name, Path dir, String jar,
                                      Class<?> activator, String imports, String transport) throws Exception {
        Path preload = Files.createDirectories(dir.resolve("preload"));
        Path bundles = Files.createDirectories(dir.resolve("bundles"));
        BundleJar.write(preload.resolve("bench-api.jar"), "io.cordon.bench.ipc.api", List.of(BenchTarget.class, BenchSink.class),
                "Export-Package", "io.cordon.bench.ipc.api;version=\"1.0.0\"", "Import-Package", "org.osgi.util.promise", "Cordon-Expose", SINK);
        BundleJar.write(bundles.resolve(jar), activator.getPackageName(), List.of(activator),
                "Bundle-Activator", activator.getName(), "Import-Package", imports);
        Configuration config = configAdmin.getFactoryConfiguration("io.cordon.renderer.type", name, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("instances", 0);
        p.put("restart", "never");
        p.put("preload", preload.toString());
        p.put("bundles", bundles.toString());
        p.put("provides", BenchTarget.class.getName());
        p.put("whitelist", SINK);
        p.put("heap.mb", 128);
        p.put("transport", transport);
        config.update(p);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (renderers.types().stream().noneMatch(t -> t.name().equals(name))) {
            pause(deadline, "renderer type " + name);
        }
        return config;
    }

    private static Collection<ServiceReference<BenchTarget>> references(BundleContext context, String filter) {
        try {
            return context.getServiceReferences(BenchTarget.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw baseline over shared-memory rings: the same figures as over the pipe, and its idle CPU. */
    private List<String> rawShm(int calls, WireFormat format) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawBaseline shm = startRaw(format, true)) {
            for (int i = 0; i < WARMUP; i++) {
                shm.call(1, "warm");
            }
            long[] ping = time(calls, () -> shm.call(1, "ping"));
            out.add("ipc.raw_shm_rtt_p50_us: " + micros(ping, 50));
            out.add("ipc.raw_shm_rtt_p99_us: " + micros(ping, 99));
            out.add("ipc.raw_shm_calls_per_s_8: " + shm.pipelined(8, THROUGHPUT_MS));
            byte[] kib4 = new byte[4096];
            out.add("ipc.raw_shm_rtt_4kib_us: " + micros(time(Math.max(100, calls / 10), () -> shm.call(2, kib4)), 50));
            byte[] mib = new byte[1 << 20];
            time(LARGE_WARMUP, () -> shm.call(2, mib));
            out.add("ipc.raw_shm_rtt_1mib_ms: " + millis(time(LARGE_CALLS, () -> shm.call(2, mib)), 50));
            Thread.sleep(IDLE_SETTLE_MS);
            out.add("ipc.raw_shm_idle_cpu_pct: " + String.format(Locale.ROOT, "%.1f", shm.idleCpuPercent(THROUGHPUT_MS)));
        }
        return out;
    }

    private RawBaseline startRaw(WireFormat format, boolean shm) throws Exception {
        JvmCommand jvm = JvmCommand.ofProcess(renderer.pid());
        List<Path> classPath;
        try (Stream<Path> jars = Files.list(baselineDir.resolve("raw"))) {
            classPath = new ArrayList<>(jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList());
        }
        classPath.add(baselineDir.resolve("io.cordon.bench.jar"));
        Path tmp = Files.createDirectories(workDir.resolve(shm ? "raw-shm-tmp" : "raw-tmp"));
        RawBaseline started = RawBaseline.start(jvm, classPath, tmp, format, shm);
        if (!shm) {
            raw = started;
        }
        return started;
    }

    private long throughput(int threads, BenchTarget target) throws InterruptedException {
        LongAdder done = new LongAdder();
        CountDownLatch finished = new CountDownLatch(threads);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THROUGHPUT_MS);
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        target.ping("x");
                        done.increment();
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }, "bench-ipc-caller-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        finished.await();
        if (failure.get() != null) {
            throw new IllegalStateException("a caller failed, so there is no figure: " + failure.get(), failure.get());
        }
        return Math.round(done.sum() * 1000.0 / THROUGHPUT_MS);
    }

    /**
     * The shape of raw_calls_per_s_8 through Cordon: {@code inFlight} asynchronous calls kept in flight
     * from one thread, each answer followed by the next call from the thread that got it (a callback).
     */
    private static long pipelined(int inFlight, BenchTarget target, long millis) throws InterruptedException {
        LongAdder done = new LongAdder();
        CountDownLatch finished = new CountDownLatch(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (int i = 0; i < inFlight; i++) {
            chain(target, end, done, finished, failure);
        }
        finished.await();
        if (failure.get() != null) {
            throw new IllegalStateException("an asynchronous call failed, so there is no figure: " + failure.get(), failure.get());
        }
        return Math.round(done.sum() * 1000.0 / millis);
    }

    private static void chain(BenchTarget target, long end, LongAdder done, CountDownLatch finished, AtomicReference<Throwable> failure) {
        target.pingAsync("x").then(p -> {
            done.increment();
            if (System.nanoTime() < end) {
                chain(target, end, done, finished, failure);
            } else {
                finished.countDown();
            }
            return null;
        }, p -> {
            failure.compareAndSet(null, p.getFailure());
            finished.countDown();
        });
    }

    @Override
    public void close() throws IOException {
        Cleanup.run("stopping the IPC bench's renderers", () -> {
            if (raw != null) {
                raw.close();
            }
            for (RendererInfo r : new RendererInfo[] {flooder, overPipe, renderer}) {
                if (r != null) {
                    await(renderers.stop(r.id()));
                }
            }
            for (Configuration c : new Configuration[] {floodType, pipeType, type}) {
                if (c != null) {
                    c.delete();
                }
            }
            if (sink != null) {
                sink.unregister();
            }
        });
    }

    // ---- measuring ----

    interface Call {
        Object run() throws Exception;
    }

    private static long[] sorted(long[] nanos) {
        Arrays.sort(nanos);
        return nanos;
    }

    static long[] time(int count, Call call) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    static long micros(long[] sorted, int percent) {
        return Math.round(percentile(sorted, percent) / 1_000.0);
    }

    private static String millis(long[] sorted, int percent) {
        return String.format(Locale.ROOT, "%.2f", percentile(sorted, percent) / 1_000_000.0);
    }

    private static void pause(long deadline, String what) throws InterruptedException {
        if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(what + " did not appear within " + WAIT_MS + " ms");
        }
        Thread.sleep(20);
    }

    static <T> T await(Promise<T> promise) throws Exception {
        Throwable failure = promise.getFailure();
        if (failure instanceof Exception e) {
            throw e;
        }
        return promise.getValue();
    }
}
