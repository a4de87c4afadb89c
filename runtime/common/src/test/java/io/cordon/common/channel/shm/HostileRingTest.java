package io.cordon.common.channel.shm;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Test;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.ProtocolException;

/**
 * A renderer that writes the shared memory as it likes: main's reader and writer must report a
 * {@link ProtocolException} (or a stall) and never read outside the ring, block forever, or let a later
 * write change a frame they have returned.
 */
public class HostileRingTest {

    private final RingFixture rings;

    public HostileRingTest() throws IOException {
        rings = new RingFixture();
    }

    @After
    public void cleanUp() throws IOException {
        rings.close();
    }

    @Test
    public void writePositionPastTheCapacity() {
        rings.publish(record(16, FrameType.PING, new byte[6]), RingFixture.CAPACITY + 8);
        assertViolation("ring write position " + (RingFixture.CAPACITY + 8) + " is outside 0..4096");
    }

    @Test
    public void writePositionBehindTheReadPosition() {
        rings.publish(new byte[0], -8);
        assertViolation("ring write position -8 is outside");
    }

    @Test
    public void writePositionNotAligned() {
        rings.publish(record(16, FrameType.PING, new byte[6]), 13);
        assertViolation("not aligned to 8");
    }

    @Test
    public void lengthShorterThanAFrameHeader() {
        rings.publish(record(3, FrameType.PING, new byte[6]), 16);
        assertViolation("frame length 3 is outside 6..");
    }

    @Test
    public void negativeLength() {
        rings.publish(record(-1, FrameType.PING, new byte[6]), 16);
        assertViolation("frame length -1 is outside");
    }

    @Test
    public void lengthAboveTheLimit() {
        rings.publish(record(RingFixture.MAX_FRAME + 1, FrameType.PING, new byte[6]), 16);
        assertViolation("frame length " + (RingFixture.MAX_FRAME + 1) + " is outside");
    }

    @Test
    public void lengthBeyondWhatWasPublished() {
        rings.publish(record(1000, FrameType.PING, new byte[6]), 16);
        assertViolation("ring record of 1008 bytes but only 16 published");
    }

    @Test
    public void fewerBytesThanARecordHeader() {
        rings.publish(record(6, FrameType.PING, new byte[0]), 8);
        assertViolation("less than a record header");
    }

    @Test
    public void rewritingAPublishedFrameDoesNotChangeWhatWasRead() throws IOException {
        byte[] payload = "ping".getBytes();
        rings.publish(record(Frame.HEADER_BYTES + payload.length, FrameType.RSA_CALL, payload), 24);
        Frame read = rings.mainReader().poll();
        rings.publish(record(Integer.MAX_VALUE, (byte) 99, "PONG".getBytes()), 24);
        assertEquals(FrameType.RSA_CALL, read.type());
        assertArrayEquals(payload, read.payload());
    }

    /**
     * A renderer scribbling over its ring and its write position while main reads: every read ends in a
     * frame within the limits or a protocol violation, never another exception (an index out of bounds,
     * a negative array size) that would mean main looked outside the ring or trusted a length.
     */
    @Test(timeout = 60_000)
    public void concurrentScribblingIsAViolationOrAFrameNeverAnythingElse() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread scribbler = new Thread(() -> {
            Random random = new Random(11);
            byte[] garbage = new byte[64];
            while (!stop.get()) {
                random.nextBytes(garbage);
                if (random.nextInt(4) == 0) {
                    // a plausible header now and then, so that some records get as far as being copied
                    System.arraycopy(record(Frame.HEADER_BYTES + random.nextInt(40), FrameType.RSA_CALL, new byte[0]), 0, garbage, 0, 10);
                }
                rings.fromRenderer.copyIn(random.nextInt(RingFixture.CAPACITY), garbage, 0, garbage.length);
                long tail = random.nextBoolean() ? random.nextInt(2 * RingFixture.CAPACITY) & -8 : random.nextLong();
                rings.fromRenderer.publishTail(tail);
            }
        });
        scribbler.start();
        RingReader reader = rings.mainReader();
        int frames = 0;
        int violations = 0;
        try {
            for (int i = 0; i < 200_000; i++) {
                try {
                    Frame frame = reader.poll();
                    if (frame != null) {
                        assertTrue(frame.payload().length <= RingFixture.MAX_FRAME - Frame.HEADER_BYTES);
                        frames++;
                    }
                } catch (ProtocolException expected) {
                    violations++;
                }
            }
        } catch (RuntimeException e) {
            fail("hostile memory made the reader fail with " + e);
        } finally {
            stop.set(true);
            scribbler.join();
        }
        assertTrue("the scribbler was seen: " + frames + " frames, " + violations + " violations", violations > 0);
    }

    @Test(timeout = 60_000)
    public void aConsumerThatNeverReadsStallsTheWriterBoundedly() throws IOException {
        RingWriter writer = rings.mainWriter(200);
        byte[] payload = new byte[1000];
        RingStalledException e = assertThrows(RingStalledException.class, () -> {
            while (true) {
                writer.write(new Frame(FrameType.RSA_CALL, 1, payload));
            }
        });
        assertTrue(e.getMessage(), e.getMessage().contains("the peer has not made room in its ring for"));
    }

    @Test
    public void readPositionBeyondWhatWasWritten() throws IOException {
        RingWriter writer = rings.mainWriter(200);
        writer.write(new Frame(FrameType.PING, 1, new byte[10]));
        rings.toRenderer.publishHead(1 << 20);
        ProtocolException e = assertThrows(ProtocolException.class, () -> writer.write(new Frame(FrameType.PING, 2, new byte[10])));
        assertTrue(e.getMessage(), e.getMessage().startsWith("ring read position 1048576 is outside"));
    }

    private void assertViolation(String expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> rings.mainReader().poll());
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }

    /** A record as the renderer would write one, with {@code length} as it likes. */
    private static byte[] record(int length, byte type, byte[] payload) {
        ByteBuffer record = ByteBuffer.allocate(10 + payload.length);
        record.putInt(length).put(type).put((byte) 0).putInt(7).put(payload);
        return Arrays.copyOf(record.array(), record.capacity());
    }
}
