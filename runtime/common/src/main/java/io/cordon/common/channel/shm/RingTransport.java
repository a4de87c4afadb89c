package io.cordon.common.channel.shm;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import io.cordon.common.channel.Contract;

/**
 * One end of a channel over shared-memory rings, as both sides build it: the reader and writer of its side
 * of {@code rings}, the peer's pipe as doorbells, sizes from {@link Contract}.
 */
public record RingTransport(RingReader source, RingWriter sink, int maxFrameBytes) {

    public static RingTransport of(SharedRings rings, SharedRings.Side side, InputStream fromPeer, OutputStream toPeer) {
        int maxFrame = Math.min(Contract.MAX_FRAME_BYTES, SharedRings.maxFrameBytes(rings.capacity()));
        return new RingTransport(rings.reader(side, fromPeer, maxFrame, AdaptiveIdle.DEFAULT),
                rings.writer(side, toPeer, TimeUnit.MILLISECONDS.toNanos(Contract.SHM_STALL_MS), AdaptiveIdle.DEFAULT), maxFrame);
    }
}
