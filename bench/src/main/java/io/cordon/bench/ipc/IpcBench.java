package io.cordon.bench.ipc;

import java.io.DataInputStream;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;
import io.cordon.bench.JvmCommand;
import io.cordon.bench.ipc.api.BenchTarget;
import io.cordon.bench.ipc.callee.BenchTargetActivator;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameReader;
import io.cordon.common.channel.FrameWriter;
import io.cordon.common.channel.MessageAssembler;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * One run of {@code bench:ipc}: calls from main into a renderer's BenchTarget through Cordon's RSA,
 * beside the baseline, a raw frame ping-pong with the same codec between main and a plain child JVM
 * started with the renderer's java and options. Everything it starts is gone when it returns.
 */
public final class IpcBench implements AutoCloseable {

    private static final String TYPE = "bench-ipc";
    private static final long WAIT_MS = 60_000;
    private static final int WARMUP = 5_000;
    private static final long THROUGHPUT_MS = 3_000;

    private final BundleContext context;
    private final Renderers renderers;
    private final ConfigurationAdmin configAdmin;
    private final Path baselineDir;
    private final Path workDir;
    private Configuration type;
    private RendererInfo renderer;
    private Process raw;

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
        long[] cordon = time(calls, () -> target.ping("ping"));
        out.add("ipc.call_rtt_p50_us: " + micros(cordon, 50));
        out.add("ipc.call_rtt_p99_us: " + micros(cordon, 99));
        RawChannel baseline = startRaw(format);
        for (int i = 0; i < WARMUP; i++) {
            baseline.call(1, "warm");
        }
        long[] rawPing = time(calls, () -> baseline.call(1, "ping"));
        out.add("ipc.raw_rtt_p50_us: " + micros(rawPing, 50));
        out.add("ipc.raw_rtt_p99_us: " + micros(rawPing, 99));
        out.add("ipc.calls_per_s_1: " + throughput(1, target));
        out.add("ipc.calls_per_s_8: " + throughput(8, target));
        out.add("ipc.raw_calls_per_s_8: " + baseline.pipelined(8, THROUGHPUT_MS));
        byte[] kib4 = new byte[4096];
        long[] small = time(Math.max(100, calls / 10), () -> target.echo(kib4));
        out.add("ipc.rtt_4kib_us: " + micros(small, 50));
        long[] rawSmall = time(Math.max(100, calls / 10), () -> baseline.call(2, kib4));
        out.add("ipc.raw_rtt_4kib_us: " + micros(rawSmall, 50));
        byte[] mib = new byte[1 << 20];
        long[] large = time(50, () -> target.echo(mib));
        out.add("ipc.rtt_1mib_ms: " + millis(large, 50));
        long[] rawLarge = time(50, () -> baseline.call(2, mib));
        out.add("ipc.raw_rtt_1mib_ms: " + millis(rawLarge, 50));
        out.add("ipc.wire_format: " + format.name().toLowerCase(Locale.ROOT));
        out.add("ipc.calls_timed: " + calls);
        out.add("ipc.load_average: " + String.format(Locale.ROOT, "%.2f", load));
        return String.join("\n", out);
    }

    private BenchTarget startRenderer() throws Exception {
        type = createType(configAdmin, workDir, TYPE, 128, renderers);
        renderer = await(renderers.spawn(TYPE));
        return target(context, renderer.id());
    }

    /**
     * A renderer type {@code name} whose renderers export BenchTarget to main (instances 0, restart never),
     * its bundles written under {@code workDir}; returns once the supervisor knows it. Delete it when done.
     */
    static Configuration createType(ConfigurationAdmin configAdmin, Path workDir, String name, int heapMb, Renderers renderers)
            throws Exception {
        Path preload = Files.createDirectories(workDir.resolve(name + "-preload"));
        Path bundles = Files.createDirectories(workDir.resolve(name + "-bundles"));
        BundleJar.write(preload.resolve("bench-api.jar"), "io.cordon.bench.ipc.api", List.of(BenchTarget.class),
                "Export-Package", "io.cordon.bench.ipc.api;version=\"1.0.0\"");
        BundleJar.write(bundles.resolve("bench-target.jar"), "io.cordon.bench.ipc.callee", List.of(BenchTargetActivator.class),
                "Bundle-Activator", BenchTargetActivator.class.getName(),
                "Import-Package", "org.osgi.framework,io.cordon.bench.ipc.api");
        Configuration type = configAdmin.getFactoryConfiguration("io.cordon.renderer.type", name, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("instances", 0);
        p.put("restart", "never");
        p.put("preload", preload.toString());
        p.put("bundles", bundles.toString());
        p.put("provides", BenchTarget.class.getName());
        p.put("heap.mb", heapMb);
        type.update(p);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (renderers.types().stream().noneMatch(t -> t.name().equals(name))) {
            pause(deadline, "renderer type " + name);
        }
        return type;
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

    private static Collection<ServiceReference<BenchTarget>> references(BundleContext context, String filter) {
        try {
            return context.getServiceReferences(BenchTarget.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private RawChannel startRaw(WireFormat format) throws Exception {
        JvmCommand jvm = JvmCommand.ofProcess(renderer.pid());
        List<Path> classPath;
        try (Stream<Path> jars = Files.list(baselineDir.resolve("raw"))) {
            classPath = new ArrayList<>(jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList());
        }
        classPath.add(baselineDir.resolve("io.cordon.bench.jar"));
        Path tmp = Files.createDirectories(workDir.resolve("raw-tmp"));
        raw = new ProcessBuilder(jvm.launch(tmp, classPath, RawEchoChild.class.getName(), List.of(format.name())))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new RawChannel(raw, new Codec(format));
    }

    private long throughput(int threads, BenchTarget target) throws InterruptedException {
        LongAdder done = new LongAdder();
        CountDownLatch finished = new CountDownLatch(threads);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THROUGHPUT_MS);
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    target.ping("x");
                    done.increment();
                }
                finished.countDown();
            }, "bench-ipc-caller-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        finished.await();
        return Math.round(done.sum() * 1000.0 / THROUGHPUT_MS);
    }

    @Override
    public void close() throws Exception {
        if (raw != null) {
            raw.getOutputStream().close();
            if (!raw.waitFor(5, TimeUnit.SECONDS)) {
                raw.destroyForcibly().waitFor();
            }
        }
        if (renderer != null) {
            await(renderers.stop(renderer.id()));
        }
        if (type != null) {
            type.delete();
        }
    }

    // ---- the raw baseline: main's end ----

    private static final class RawChannel {
        private final FrameWriter writer;
        private final FrameReader reader;
        private final MessageAssembler assembler = new MessageAssembler(32 << 20, 4);
        private final MethodCodec ping;
        private final MethodCodec echo;

        RawChannel(Process child, Codec codec) throws Exception {
            this.writer = new FrameWriter(child.getOutputStream(), 1 << 20);
            this.reader = new FrameReader(new DataInputStream(child.getInputStream()), 1 << 20);
            this.ping = RawEchoChild.method(codec, "ping");
            this.echo = RawEchoChild.method(codec, "echo");
        }

        /** type 1: ping(String), type 2: echo(byte[]); encode, send, receive, decode. */
        Object call(int type, Object argument) throws IOException {
            MethodCodec m = type == 1 ? ping : echo;
            writer.send((byte) type, 1, m.encodeArguments(new Object[] {argument}));
            byte[] answer = receive().payload();
            return m.decodeResult(answer, 0, answer.length);
        }

        /**
         * {@code ping} calls per second with {@code inFlight} of them kept in flight from one thread: each
         * answer decoded is followed by the next call. The baseline of the callers' throughput: what the
         * pipe, the framing and the codec allow when nobody waits for a wake-up between calls.
         */
        long pipelined(int inFlight, long millis) throws IOException {
            for (int i = 0; i < inFlight; i++) {
                writer.send((byte) 1, i + 1, ping.encodeArguments(new Object[] {"x"}));
            }
            long done = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < end) {
                Frame answer = receive();
                ping.decodeResult(answer.payload(), 0, answer.payload().length);
                done++;
                writer.send((byte) 1, answer.stream(), ping.encodeArguments(new Object[] {"x"}));
            }
            for (int i = 0; i < inFlight; i++) {
                receive();
            }
            return Math.round(done * 1000.0 / millis);
        }

        private Frame receive() throws IOException {
            while (true) {
                Frame frame = reader.read();
                if (frame == null) {
                    throw new IOException("the raw child closed its stdout");
                }
                Frame message = assembler.accept(frame);
                if (message != null) {
                    return message;
                }
            }
        }
    }

    // ---- measuring ----

    interface Call {
        Object run() throws Exception;
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
