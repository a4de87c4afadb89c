package io.cordon.common.channel;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes frames to a stream; thread-safe, one frame at a time. Messages longer than one frame are
 * split into frames flagged {@link Frame#MORE} on the same stream, which {@link MessageAssembler}
 * joins again; other streams' frames may come between them, so a 16 MiB argument does not hold up
 * small calls. A writer that sees another one waiting leaves the flush to it (group commit): under
 * load, many small frames go out in one system call.
 */
public final class FrameWriter implements FrameSink {

    private final DataOutputStream out;
    private final int maxFrameBytes;
    private final ReentrantLock lock = new ReentrantLock();

    public FrameWriter(OutputStream out, int maxFrameBytes) {
        if (maxFrameBytes <= Frame.HEADER_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must exceed the header size, got " + maxFrameBytes);
        }
        this.out = new DataOutputStream(new BufferedOutputStream(out, 64 * 1024));
        this.maxFrameBytes = maxFrameBytes;
    }

    public void write(Frame frame) throws IOException {
        if (frame.payload().length > maxFrameBytes - Frame.HEADER_BYTES) {
            throw new IllegalArgumentException(frame + " does not fit in one frame; use send");
        }
        writeLocked(frame.type(), frame.flags(), frame.stream(), frame.payload(), 0, frame.payload().length);
    }

    /** Writes a message of any size as one or more frames; frames of other streams may interleave. */
    public void send(byte type, int stream, byte[] message) throws IOException {
        int chunk = maxFrameBytes - Frame.HEADER_BYTES;
        int offset = 0;
        do {
            int length = Math.min(chunk, message.length - offset);
            boolean more = offset + length < message.length;
            writeLocked(type, more ? Frame.MORE : 0, stream, message, offset, length);
            offset += length;
        } while (offset < message.length);
    }

    private void writeLocked(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        lock.lock();
        try {
            writeFrame(type, flags, stream, payload, offset, length);
            // lock() is uninterruptible, so a queued writer will get the lock and flush after us.
            if (!lock.hasQueuedThreads()) {
                out.flush();
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeFrame(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        out.writeInt(length + Frame.HEADER_BYTES);
        out.writeByte(type);
        out.writeByte(flags);
        out.writeInt(stream);
        out.write(payload, offset, length);
    }

    /**
     * Writes one frame of a longer message without flushing: the channel's single writer thread calls it,
     * then {@link #flush()} once its queue is empty (so under load many frames share one system call).
     */
    @Override
    public void writeUnflushed(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        lock.lock();
        try {
            writeFrame(type, flags, stream, payload, offset, length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Payload bytes one frame carries. */
    @Override
    public int chunkBytes() {
        return maxFrameBytes - Frame.HEADER_BYTES;
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            out.close();
        } finally {
            lock.unlock();
        }
    }
}
