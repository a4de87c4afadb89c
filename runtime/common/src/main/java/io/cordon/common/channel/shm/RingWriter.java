package io.cordon.common.channel.shm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.ProtocolException;

/**
 * The producer of one ring: writes frames in the pipe's wire format and rings the doorbell (one byte on
 * the pipe) when the consumer has announced that it sleeps. When the ring is full it waits for the
 * consumer to make room, but never longer than the stall timeout: a peer that stops reading makes
 * {@link #write} fail with {@link RingStalledException} instead of blocking its writer forever.
 * Thread-safe, though the channel is expected to write from one thread.
 */
public final class RingWriter {

    private static final int RECORD_HEADER = Integer.BYTES + Frame.HEADER_BYTES;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Ring ring;
    private final OutputStream doorbell;
    private final long stallTimeoutNanos;
    private final AdaptiveIdle idle;
    private final byte[] header = new byte[RECORD_HEADER];
    private long tail;

    RingWriter(Ring ring, OutputStream doorbell, long stallTimeoutNanos, AdaptiveIdle idle) {
        this.ring = ring;
        this.doorbell = doorbell;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.idle = idle;
    }

    /** The largest frame (header and payload, as {@link Frame} counts it) this ring takes; chunk longer messages. */
    public int maxFrameBytes() {
        return SharedRings.maxFrameBytes(ring.capacity());
    }

    public void write(Frame frame) throws IOException {
        write(frame.type(), frame.flags(), frame.stream(), frame.payload(), 0, frame.payload().length);
    }

    public synchronized void write(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        int frameLength = Frame.HEADER_BYTES + length;
        if (length < 0 || frameLength > maxFrameBytes()) {
            throw new IllegalArgumentException("a frame of " + frameLength + " bytes exceeds the ring's limit of " + maxFrameBytes());
        }
        int record = Ring.align(Integer.BYTES + frameLength);
        awaitRoom(record);
        putInt(header, 0, frameLength);
        header[4] = type;
        header[5] = flags;
        putInt(header, 6, stream);
        ring.copyIn(tail, header, 0, RECORD_HEADER);
        ring.copyIn(tail + RECORD_HEADER, payload, offset, length);
        tail += record;
        ring.publishTail(tail);
        if (ring.takeSleeping()) {
            doorbell.write(1);
            doorbell.flush();
        }
    }

    /** Waits, spinning, yielding, then parking with growing pauses, until {@code record} bytes are free. */
    private void awaitRoom(int record) throws IOException {
        long free = free();
        if (free >= record) {
            return;
        }
        long start = System.nanoTime();
        long park = 1_000;
        for (; free < record; free = free()) {
            long waited = System.nanoTime() - start;
            if (waited > stallTimeoutNanos) {
                throw new RingStalledException("the peer has not made room in its ring for " + TimeUnit.NANOSECONDS.toMillis(waited)
                        + " ms (" + (ring.capacity() - free) + " of " + ring.capacity() + " bytes unread); it is not reading");
            }
            switch (idle.phase(waited)) {
                case SPIN -> Thread.onSpinWait();
                case YIELD -> Thread.yield();
                case PARK -> {
                    LockSupport.parkNanos(park);
                    park = Math.min(2 * park, MAX_PARK_NANOS);
                    if (Thread.interrupted()) {
                        throw new InterruptedIOException("interrupted while waiting for room in the ring");
                    }
                }
            }
        }
    }

    /** Free bytes, from the peer's read position checked to lie within what was published. */
    private long free() throws ProtocolException {
        long head = ring.headAcquire();
        long unread = tail - head;
        if (unread < 0 || unread > ring.capacity() || (head & (Ring.ALIGNMENT - 1)) != 0) {
            throw new ProtocolException("ring read position " + head + " is outside " + (tail - ring.capacity()) + ".." + tail
                    + " or not aligned to " + Ring.ALIGNMENT);
        }
        return ring.capacity() - unread;
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }
}
