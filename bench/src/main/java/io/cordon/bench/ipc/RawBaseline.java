package io.cordon.bench.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cordon.bench.Cleanup;
import io.cordon.bench.JvmCommand;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.shm.SharedRings;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * Main's end of the raw baseline: a {@link RawEchoChild} JVM and the link to it, over the child's pipes or
 * over shared-memory rings (created here, in {@code /dev/shm} where it exists; the child removes the file
 * once it has mapped it). Main encodes the arguments, sends, receives and decodes the answer on the calling thread.
 */
final class RawBaseline implements AutoCloseable {

    private static final Path DEV_SHM = Path.of("/dev/shm");

    private final Process child;
    private final RawLink link;
    private final Path ringFile;
    private final MethodCodec ping;
    private final MethodCodec echo;

    private RawBaseline(Process child, RawLink link, Path ringFile, Codec codec) throws Exception {
        this.child = child;
        this.link = link;
        this.ringFile = ringFile;
        this.ping = RawEchoChild.method(codec, "ping");
        this.echo = RawEchoChild.method(codec, "echo");
    }

    /** Starts the child with {@code jvm}'s java and options; over rings in a file named after {@code tmp} if {@code shm}. */
    static RawBaseline start(JvmCommand jvm, List<Path> classPath, Path tmp, WireFormat format, boolean shm) throws Exception {
        List<String> args = new ArrayList<>(List.of(format.name()));
        Path ringFile = null;
        SharedRings rings = null;
        if (shm) {
            Path dir = Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM) ? DEV_SHM : tmp;
            ringFile = dir.resolve("cordon-bench-" + ProcessHandle.current().pid() + "-" + tmp.getParent().getFileName());
            rings = SharedRings.create(ringFile, RawLink.RING_BYTES);
            args.add(ringFile.toString());
        }
        Process child = new ProcessBuilder(jvm.launch(tmp, classPath, RawEchoChild.class.getName(), args))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        RawLink link = shm
                ? RawLink.shm(rings, SharedRings.Side.MAIN, child.getInputStream(), child.getOutputStream())
                : RawLink.pipe(child.getInputStream(), child.getOutputStream());
        return new RawBaseline(child, link, ringFile, new Codec(format));
    }

    /** type 1: ping(String), type 2: echo(byte[]); encode, send, receive, decode. */
    Object call(int type, Object argument) throws IOException {
        MethodCodec m = type == 1 ? ping : echo;
        link.send((byte) type, 1, m.encodeArguments(new Object[] {argument}));
        byte[] answer = receive().payload();
        return m.decodeResult(answer, 0, answer.length);
    }

    /**
     * {@code ping} calls per second with {@code inFlight} of them kept in flight from one thread: each
     * answer decoded is followed by the next call. The baseline of the callers' throughput: what the
     * transport, the framing and the codec allow when nobody waits for a wake-up between calls.
     */
    long pipelined(int inFlight, long millis) throws IOException {
        for (int i = 0; i < inFlight; i++) {
            link.send((byte) 1, i + 1, ping.encodeArguments(new Object[] {"x"}));
        }
        long done = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Frame answer = receive();
            ping.decodeResult(answer.payload(), 0, answer.payload().length);
            done++;
            link.send((byte) 1, answer.stream(), ping.encodeArguments(new Object[] {"x"}));
        }
        for (int i = 0; i < inFlight; i++) {
            receive();
        }
        return Math.round(done * 1000.0 / millis);
    }

    /** CPU the child used while idle for {@code millis}, in percent of one core. */
    double idleCpuPercent(long millis) throws InterruptedException {
        return IdleCpu.percent(List.of(child.toHandle()), millis);
    }

    private Frame receive() throws IOException {
        Frame message = link.receive();
        if (message == null) {
            throw new IOException("the raw child closed its end of the channel");
        }
        return message;
    }

    @Override
    public void close() throws IOException {
        Cleanup.run("stopping the raw baseline's child", () -> {
            child.getOutputStream().close();
            if (!child.waitFor(5, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
            if (ringFile != null) {
                Files.deleteIfExists(ringFile);
            }
        });
    }
}
