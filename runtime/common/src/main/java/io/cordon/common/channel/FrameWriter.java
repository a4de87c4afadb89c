package io.cordon.common.channel;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes frames to a stream; thread-safe, one frame at a time. Messages longer than one frame are
 * split into frames flagged {@link Frame#MORE} on the same stream, which {@link MessageAssembler}
 * joins again.
 */
public final class FrameWriter {

    private final DataOutputStream out;
    private final int maxFrameBytes;

    public FrameWriter(OutputStream out, int maxFrameBytes) {
        if (maxFrameBytes <= Frame.HEADER_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must exceed the header size, got " + maxFrameBytes);
        }
        this.out = new DataOutputStream(new BufferedOutputStream(out, 64 * 1024));
        this.maxFrameBytes = maxFrameBytes;
    }

    public synchronized void write(Frame frame) throws IOException {
        if (frame.payload().length > maxFrameBytes - Frame.HEADER_BYTES) {
            throw new IllegalArgumentException(frame + " does not fit in one frame; use send");
        }
        writeFrame(frame.type(), frame.flags(), frame.stream(), frame.payload(), 0, frame.payload().length);
        out.flush();
    }

    /** Writes a message of any size as one or more frames, without interleaving other frames. */
    public synchronized void send(byte type, int stream, byte[] message) throws IOException {
        int chunk = maxFrameBytes - Frame.HEADER_BYTES;
        int offset = 0;
        do {
            int length = Math.min(chunk, message.length - offset);
            boolean more = offset + length < message.length;
            writeFrame(type, more ? Frame.MORE : 0, stream, message, offset, length);
            offset += length;
        } while (offset < message.length);
        out.flush();
    }

    private void writeFrame(byte type, byte flags, int stream, byte[] payload, int offset, int length) throws IOException {
        out.writeInt(length + Frame.HEADER_BYTES);
        out.writeByte(type);
        out.writeByte(flags);
        out.writeInt(stream);
        out.write(payload, offset, length);
    }

    public void close() throws IOException {
        out.close();
    }
}
