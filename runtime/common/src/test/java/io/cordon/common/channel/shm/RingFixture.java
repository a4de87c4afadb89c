package io.cordon.common.channel.shm;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import io.cordon.common.channel.shm.SharedRings.Side;

/**
 * A ring file in a temporary folder, mapped three times as the two processes and a hostile third party
 * would: main's end, the renderer's end, and a raw view through which a test writes anything anywhere.
 * The doorbells are real pipes.
 */
final class RingFixture implements Closeable {

    static final int CAPACITY = 4096;
    static final int MAX_FRAME = SharedRings.maxFrameBytes(CAPACITY);

    final Path dir;
    final SharedRings main;
    final SharedRings renderer;
    final MappedByteBuffer raw;
    /** The main → renderer ring, as a hostile renderer sees it (it writes the read position). */
    final Ring toRenderer;
    /** The renderer → main ring, as a hostile renderer sees it (it writes records and the write position). */
    final Ring fromRenderer;
    final Pipe toRendererBell;
    final Pipe toMainBell;

    RingFixture() throws IOException {
        dir = Files.createTempDirectory("cordon-ring-test");
        Path file = dir.resolve("channel");
        main = SharedRings.create(file, CAPACITY);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            raw = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
        renderer = SharedRings.openAndRemove(file);
        raw.order(ByteOrder.nativeOrder());
        toRenderer = SharedRings.writtenBy(Side.MAIN, raw, CAPACITY);
        fromRenderer = SharedRings.writtenBy(Side.RENDERER, raw, CAPACITY);
        toRendererBell = Pipe.open();
        toMainBell = Pipe.open();
    }

    RingWriter mainWriter(long stallMillis) {
        return main.writer(Side.MAIN, out(toRendererBell), TimeUnit.MILLISECONDS.toNanos(stallMillis), AdaptiveIdle.DEFAULT);
    }

    RingReader rendererReader(AdaptiveIdle idle) {
        return renderer.reader(Side.RENDERER, in(toRendererBell), MAX_FRAME, idle);
    }

    RingWriter rendererWriter() {
        return renderer.writer(Side.RENDERER, out(toMainBell), TimeUnit.SECONDS.toNanos(10), AdaptiveIdle.DEFAULT);
    }

    RingReader mainReader() {
        return main.reader(Side.MAIN, in(toMainBell), MAX_FRAME, AdaptiveIdle.DEFAULT);
    }

    /** Whether the renderer's reader has announced that it parks on its doorbell. */
    boolean rendererSleeping() {
        return raw.getInt(SharedRings.PAGE + 2 * Ring.CACHE_LINE) != 0;
    }

    /** Publishes raw bytes at the start of the renderer → main ring and moves its write position to {@code tail}. */
    void publish(byte[] record, long tail) {
        fromRenderer.copyIn(0, record, 0, record.length);
        fromRenderer.publishTail(tail);
    }

    private static OutputStream out(Pipe pipe) {
        return Channels.newOutputStream(pipe.sink());
    }

    private static InputStream in(Pipe pipe) {
        return Channels.newInputStream(pipe.source());
    }

    @Override
    public void close() throws IOException {
        toRendererBell.sink().close();
        toRendererBell.source().close();
        toMainBell.sink().close();
        toMainBell.source().close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
