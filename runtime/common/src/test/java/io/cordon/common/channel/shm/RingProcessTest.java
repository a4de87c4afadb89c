package io.cordon.common.channel.shm;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;

/**
 * Main and a real child JVM over the rings, the child's stdin/stdout as doorbells: frames cross both ways,
 * and each side's reader ends when the other process goes away (end of its pipe), however it goes.
 */
public class RingProcessTest {

    private Path dir;
    private Process child;
    private RingWriter writer;
    private RingReader reader;

    @Before
    public void startChild() throws IOException {
        dir = Files.createTempDirectory("cordon-ring-process");
        Path file = dir.resolve("channel");
        SharedRings rings = SharedRings.create(file, 1 << 16);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), RingEchoChild.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        writer = rings.writer(SharedRings.Side.MAIN, child.getOutputStream(), TimeUnit.SECONDS.toNanos(30), AdaptiveIdle.DEFAULT);
        reader = rings.reader(SharedRings.Side.MAIN, child.getInputStream(), SharedRings.maxFrameBytes(rings.capacity()), AdaptiveIdle.DEFAULT);
    }

    @After
    public void cleanUp() throws Exception {
        child.destroyForcibly().waitFor();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Test(timeout = 120_000)
    public void framesCrossAndTheChildEndsWhenMainClosesItsPipe() throws Exception {
        exchange();
        writer.close();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
        assertNull("the child's stdout ended with it", reader.read());
    }

    /**
     * The reader is parked on the child's stdout when the child dies, and sees its end. (Once the JDK has
     * reaped the child, a read fails with "Stream closed" instead of returning null: the owner ends the
     * channel either way.)
     */
    @Test(timeout = 120_000)
    public void mainsParkedReaderEndsWhenTheChildIsKilled() throws Exception {
        exchange();
        CompletableFuture<Frame> read = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread.sleep(200);
        child.destroyForcibly().waitFor();
        assertNull(read.get(60, TimeUnit.SECONDS));
    }

    /** Frames of many sizes up to the largest, each echoed back unchanged; the child parks between some. */
    private void exchange() throws Exception {
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[i == 199 ? writer.chunkBytes() : i * 317 % writer.chunkBytes()];
            Arrays.fill(payload, (byte) i);
            writer.write(new Frame(FrameType.RSA_CALL, i, payload));
            Frame echo = reader.read();
            assertEquals(i, echo.stream());
            assertArrayEquals(payload, echo.payload());
            if (i % 50 == 0) {
                Thread.sleep(20);
            }
        }
    }
}
