package io.cordon.common.channel.shm;

import java.io.IOException;
import java.io.InputStream;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameSource;
import io.cordon.common.channel.ProtocolException;

/**
 * The consumer of one ring: returns frames in the pipe's wire format, waiting as {@link AdaptiveIdle} says
 * and parked on the doorbell (the peer's pipe) when there is nothing to read. The peer can rewrite the
 * shared memory at any moment, so every record is copied out before anything in it is looked at, each byte
 * read exactly once; the peer's position and every length are checked against the ring before use, and a
 * violation is a {@link ProtocolException}. Not thread-safe: the channel's reader thread owns it.
 */
public final class RingReader implements FrameSource {

    private static final int RECORD_HEADER = Integer.BYTES + Frame.HEADER_BYTES;

    private final Ring ring;
    private final InputStream doorbell;
    private final int maxFrameBytes;
    private final AdaptiveIdle idle;
    private final byte[] header = new byte[RECORD_HEADER];
    private final byte[] rings = new byte[64];
    private long head;
    /** Until when the machine counts as busy: the reader parks where it would yield (see {@link AdaptiveIdle#busyAfter}). */
    private long busyUntil = System.nanoTime();
    private boolean ended;

    RingReader(Ring ring, InputStream doorbell, int maxFrameBytes, AdaptiveIdle idle) {
        if (maxFrameBytes < Frame.HEADER_BYTES || Ring.align(Integer.BYTES + maxFrameBytes) > ring.capacity()) {
            throw new IllegalArgumentException("frames of " + maxFrameBytes + " bytes do not fit a ring of " + ring.capacity() + " bytes");
        }
        this.ring = ring;
        this.doorbell = doorbell;
        this.maxFrameBytes = maxFrameBytes;
        this.idle = idle;
    }

    /** The next frame, or null once the peer closed its end of the pipe and everything it published was read. */
    @Override
    public Frame read() throws IOException {
        long idleSince = System.nanoTime();
        while (true) {
            Frame frame = poll();
            if (frame != null || ended) {
                return frame;
            }
            long now = System.nanoTime();
            switch (idle.phase(now - idleSince, now < busyUntil)) {
                case SPIN -> Thread.onSpinWait();
                case YIELD -> {
                    Thread.yield();
                    if (AdaptiveIdle.busyAfter(System.nanoTime() - now, published() == 0)) {
                        busyUntil = System.nanoTime() + AdaptiveIdle.BUSY_NANOS;
                    }
                }
                case PARK -> {
                    park();
                    idleSince = System.nanoTime();
                }
            }
        }
    }

    /** The next frame if one is published, else null; never waits. */
    public Frame poll() throws IOException {
        long available = published();
        if (available == 0) {
            return null;
        }
        if (available < RECORD_HEADER) {
            throw new ProtocolException("ring holds " + available + " bytes, less than a record header");
        }
        ring.copyOut(head, header, 0, RECORD_HEADER);
        int length = intAt(header, 0);
        if (length < Frame.HEADER_BYTES || length > maxFrameBytes) {
            throw new ProtocolException("ring record of frame length " + length + " is outside " + Frame.HEADER_BYTES + ".." + maxFrameBytes);
        }
        int record = Ring.align(Integer.BYTES + length);
        if (record > available) {
            throw new ProtocolException("ring record of " + record + " bytes but only " + available + " published");
        }
        byte[] payload = new byte[length - Frame.HEADER_BYTES];
        ring.copyOut(head + RECORD_HEADER, payload, 0, payload.length);
        head += record;
        ring.publishHead(head);
        return new Frame(header[4], header[5], intAt(header, 6), payload);
    }

    /** The peer's write position is only compared here, so a lying one does no harm beyond a wrong answer. */
    @Override
    public long waitingBytes() {
        return ring.tailVolatile() - head;
    }

    /** Bytes the peer has published beyond our position, checked to lie within the ring. */
    private long published() throws ProtocolException {
        long tail = ring.tailVolatile();
        long available = tail - head;
        if (available < 0 || available > ring.capacity() || (tail & (Ring.ALIGNMENT - 1)) != 0) {
            throw new ProtocolException("ring write position " + tail + " is outside " + head + ".." + (head + ring.capacity())
                    + " or not aligned to " + Ring.ALIGNMENT);
        }
        return available;
    }

    /**
     * Announces sleep, checks once more (a message published just before the announcement would
     * otherwise wait for the next doorbell), then blocks on the pipe until the producer rings or goes away.
     */
    private void park() throws IOException {
        ring.sleeping(true);
        try {
            if (published() == 0 && doorbell.read(rings) < 0) {
                ended = true;
            }
        } finally {
            ring.sleeping(false);
        }
    }

    static int intAt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }
}
