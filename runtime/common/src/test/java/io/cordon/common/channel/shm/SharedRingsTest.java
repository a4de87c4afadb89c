package io.cordon.common.channel.shm;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;

/** The rings between two honest ends: both directions, wrap-around, a full ring, parking and waking, the end. */
public class SharedRingsTest {

    private final RingFixture rings;

    public SharedRingsTest() throws IOException {
        rings = new RingFixture();
    }

    @After
    public void cleanUp() throws IOException {
        rings.close();
    }

    @Test
    public void framesCrossBothWays() throws IOException {
        rings.mainWriter(1_000).write(new Frame(FrameType.EXEC, 42, Messages.utf8("lb")));
        rings.rendererWriter().write(new Frame(FrameType.EXEC_RESULT, 42, Messages.utf8("ok")));

        Frame exec = rings.rendererReader(AdaptiveIdle.DEFAULT).read();
        assertEquals(FrameType.EXEC, exec.type());
        assertEquals(42, exec.stream());
        assertEquals("lb", Messages.utf8(exec.payload()));
        Frame result = rings.mainReader().read();
        assertEquals(FrameType.EXEC_RESULT, result.type());
        assertEquals("ok", Messages.utf8(result.payload()));
    }

    @Test(timeout = 60_000)
    public void manyFramesWrapAroundAFullRingInOrder() throws Exception {
        int count = 20_000;
        RingWriter writer = rings.mainWriter(30_000);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    writer.write(new Frame(FrameType.RSA_CALL, i % 3 == 0 ? Frame.MORE : 0, i, payload(i)));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        RingReader reader = rings.rendererReader(new AdaptiveIdle(1_000, 1_000));
        for (int i = 0; i < count; i++) {
            Frame frame = reader.read();
            assertEquals(i, frame.stream());
            assertEquals(i % 3 == 0, frame.more());
            assertArrayEquals("frame " + i, payload(i), frame.payload());
        }
        producer.get(30, TimeUnit.SECONDS);
    }

    @Test(timeout = 60_000)
    public void framesAreSeenOnFlushAndAFullRingIsPublishedBeforeWaiting() throws Exception {
        RingWriter writer = rings.mainWriter(30_000);
        RingReader reader = rings.rendererReader(AdaptiveIdle.DEFAULT);
        writer.writeUnflushed(FrameType.PING, (byte) 0, 1, new byte[8], 0, 8);
        assertNull("not yet flushed", reader.poll());
        writer.flush();
        assertEquals(1, reader.poll().stream());

        int count = 3 * RingFixture.CAPACITY / 64;
        CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    writer.writeUnflushed(FrameType.RSA_RESULT, (byte) 0, i, new byte[40], 0, 40);
                }
                writer.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < count; i++) {
            assertEquals(i, reader.read().stream());
        }
        batch.get(30, TimeUnit.SECONDS);
    }

    @Test(timeout = 60_000)
    public void parkedReaderIsWokenByTheDoorbell() throws Exception {
        RingReader reader = rings.rendererReader(new AdaptiveIdle(0, 0));
        CompletableFuture<Frame> read = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.read();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!rings.rendererSleeping()) {
            Thread.sleep(5);
        }
        rings.mainWriter(1_000).write(new Frame(FrameType.PING, 1, new byte[0]));
        assertEquals(FrameType.PING, read.get(30, TimeUnit.SECONDS).type());
        assertTrue("the reader cleared its flag when it woke", !rings.rendererSleeping());
    }

    @Test(timeout = 60_000)
    public void readerDrainsThenEndsWhenThePeerClosesItsPipe() throws Exception {
        rings.mainWriter(1_000).write(new Frame(FrameType.SHUTDOWN, 0, new byte[0]));
        rings.toRendererBell.sink().close();
        RingReader reader = rings.rendererReader(AdaptiveIdle.DEFAULT);
        assertEquals(FrameType.SHUTDOWN, reader.read().type());
        assertNull(reader.read());
        assertNull(reader.read());
    }

    @Test
    public void theRendererRemovesTheFileOnceMapped() {
        assertTrue("only the mappings reach the memory now", !Files.exists(rings.dir.resolve("channel")));
    }

    @Test
    public void openRefusesAFileThatIsNotAChannel() throws IOException {
        Path other = rings.dir.resolve("other");
        Files.write(other, new byte[2 * SharedRings.PAGE + 2 * RingFixture.CAPACITY]);
        IOException e = assertThrows(IOException.class, () -> SharedRings.openAndRemove(other));
        assertTrue(e.getMessage(), e.getMessage().contains("is not a version 1 Cordon shared-memory channel"));
    }

    @Test
    public void aFrameLargerThanHalfTheRingIsRefused() throws IOException {
        RingWriter writer = rings.mainWriter(1_000);
        byte[] big = new byte[writer.chunkBytes() + 1];
        assertThrows(IllegalArgumentException.class, () -> writer.write(new Frame(FrameType.BUNDLE, 1, big)));
    }

    /** Mostly small payloads of odd sizes (records that end anywhere), every 100th as large as the ring takes. */
    private static byte[] payload(int i) {
        byte[] bytes = new byte[i % 100 == 0 ? RingFixture.MAX_FRAME - Frame.HEADER_BYTES : i * 37 % 300];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) (i * 31 + k);
        }
        return bytes;
    }
}
