package io.cordon.common.channel;

import java.io.IOException;

/**
 * Where a channel's reader takes frames from: the pipe ({@link FrameReader}) or a shared-memory ring
 * ({@code io.cordon.common.channel.shm.RingReader}). Only the channel's reader thread calls it.
 */
public interface FrameSource {

    /** The next frame, waiting for one; null at a clean end of the channel. A frame the protocol forbids is a {@link ProtocolException}. */
    Frame read() throws IOException;

    /**
     * Bytes known to be waiting to be read right now, 0 when the reader has caught up. Never waits; a large
     * figure when it cannot tell.
     */
    long waitingBytes();
}
