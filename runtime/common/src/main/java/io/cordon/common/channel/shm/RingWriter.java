package io.cordon.common.channel.shm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameSink;
import io.cordon.common.channel.ProtocolException;

/**
 * The producer of one ring: writes frames in the pipe's wire format, publishes them on {@link #flush} and
 * then rings the doorbell (one byte on the pipe) if the consumer has announced that it sleeps: the channel's
 * {@link FrameSink} over shared memory, as {@code FrameWriter} is over the pipe.
 * When the ring is full it waits for the consumer to make room, but never longer than the stall timeout:
 * a peer that stops reading makes the write fail with {@link RingStalledException} instead of blocking
 * its writer forever. Thread-safe: the channel's writer thread writes to it, and its senders through {@link #tryWriteNow}.
 */
public final class RingWriter implements FrameSink {

    private static final int RECORD_HEADER = Integer.BYTES + Frame.HEADER_BYTES;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Ring ring;
    private final OutputStream doorbell;
    private final long stallTimeoutNanos;
    private final AdaptiveIdle idle;
    private final byte[] header = new byte[RECORD_HEADER];
    private long tail;
    private long published;

    RingWriter(Ring ring, OutputStream doorbell, long stallTimeoutNanos, AdaptiveIdle idle) {
        this.ring = ring;
        this.doorbell = doorbell;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.idle = idle;
    }

    /** The largest frame (header and payload, as {@link Frame} counts it) this ring takes. */
    public int maxFrameBytes() {
        return SharedRings.maxFrameBytes(ring.capacity());
    }

    /** Payload bytes one frame carries; longer messages go as several frames flagged {@link Frame#MORE}. */
    @Override
    public int chunkBytes() {
        return maxFrameBytes() - Frame.HEADER_BYTES;
    }

    /** Writes and publishes one frame. */
    public void write(Frame frame) throws IOException {
        writeUnflushed(frame.type(), frame.flags(), frame.stream(), frame.payload(), 0, frame.payload().length);
        flush();
    }

    /**
     * Writes one frame without publishing it: the channel's writer thread calls this for every frame it
     * has, then {@link #flush} once, so the consumer sees them together and is woken at most once.
     */
    @Override
    public synchronized void writeUnflushed(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        if (length < 0 || length > chunkBytes()) {
            throw new IllegalArgumentException("a frame of " + (Frame.HEADER_BYTES + length) + " bytes exceeds the ring's limit of " + maxFrameBytes());
        }
        int record = Ring.align(RECORD_HEADER + length);
        awaitRoom(record);
        putInt(header, 0, Frame.HEADER_BYTES + length);
        header[4] = type;
        header[5] = flags;
        putInt(header, 6, stream);
        ring.copyIn(tail, header, 0, RECORD_HEADER);
        ring.copyIn(tail + RECORD_HEADER, payload, offset, length);
        tail += record;
    }

    /**
     * Writes and publishes one frame only if the ring has room for it now, never waiting and never touching
     * the doorbell (a pipe, whose write may block): the caller asks {@link #peerSleeps} afterwards and, if
     * so, leaves {@link #flush} to a thread that may block.
     */
    @Override
    public synchronized boolean tryWriteNow(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        if (length > chunkBytes() || free() < Ring.align(RECORD_HEADER + length)) {
            return false;
        }
        writeUnflushed(type, flags, stream, payload, offset, length);
        published = tail;
        ring.publishTail(tail);
        return true;
    }

    /** True when the consumer has announced that it sleeps: the next {@link #flush} rings the doorbell. */
    @Override
    public boolean peerSleeps() {
        return ring.sleeping();
    }

    /** True over a {@link SocketBell}, which never blocks; a pipe may. */
    @Override
    public boolean wakesWithoutBlocking() {
        return doorbell instanceof SocketBell;
    }

    /**
     * Publishes what was written and rings the doorbell if the consumer sleeps. The doorbell is a pipe a
     * hostile peer may leave full, so it is rung outside the lock: a sender trying {@link #tryWriteNow}
     * meanwhile is never held up by it.
     */
    @Override
    public void flush() throws IOException {
        boolean wake;
        synchronized (this) {
            if (tail != published) {
                published = tail;
                ring.publishTail(tail);
            }
            wake = ring.takeSleeping();
        }
        if (wake) {
            doorbell.write(1);
            doorbell.flush();
        }
    }

    /** Closes the pipe to the peer: the peer's reader ends once it has read what was published. */
    @Override
    public void close() throws IOException {
        flush();
        doorbell.close();
    }

    /**
     * Waits, spinning, yielding, then parking with growing pauses, until {@code record} bytes are free;
     * publishes first what it wrote, since the consumer can only make room by reading it.
     */
    private void awaitRoom(int record) throws IOException {
        long free = free();
        if (free >= record) {
            return;
        }
        flush();
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
