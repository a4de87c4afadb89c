package io.cordon.common.channel;

import java.io.IOException;

/**
 * Where a channel's writer thread puts frames: the pipe ({@link FrameWriter}) or a shared-memory ring
 * ({@code io.cordon.common.channel.shm.RingWriter}). Frames written are sent at the latest on {@link #flush}.
 */
public interface FrameSink {

    /** Writes one frame of at most {@link #chunkBytes} payload bytes, possibly without sending it yet. */
    void writeUnflushed(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException;

    /**
     * Writes and sends one frame if that cannot block, from any thread; false (nothing written) when it
     * might, as a pipe's write always might. Only after the channel's writer has sent all it was given.
     */
    default boolean tryWriteNow(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        return false;
    }

    /** True when the peer must be woken by a {@link #flush} (which may block) to see what {@link #tryWriteNow} sent. */
    default boolean peerSleeps() {
        return false;
    }

    /** True when {@link #flush} never blocks ringing the peer: then any sender may wake the peer itself. */
    default boolean wakesWithoutBlocking() {
        return false;
    }

    /** Sends what was written. */
    void flush() throws IOException;

    /** Payload bytes one frame carries; longer messages go as several frames flagged {@link Frame#MORE}. */
    int chunkBytes();

    /** Sends what was written and closes the way to the peer, which sees the end of the channel. */
    void close() throws IOException;
}
