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
     * True when nothing more is waiting to be read right now: the reader may then serve a message itself
     * and lose no time. While more is waiting, handing work to other threads lets the reader keep up (and
     * see a flood for what it is). Never waits; false when it cannot tell.
     */
    boolean caughtUp();
}
