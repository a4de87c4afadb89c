package io.cordon.common.channel;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads frames from a stream, refusing any frame longer than a fixed limit before allocating it. It owns
 * the stream and reads ahead: a renderer's stdin is a bare {@code FileInputStream}, where reading the
 * header field by field would cost a system call per byte.
 */
public final class FrameReader implements FrameSource {

    private final DataInputStream in;
    private final int maxFrameBytes;

    public FrameReader(InputStream in, int maxFrameBytes) {
        this.in = new DataInputStream(new BufferedInputStream(in, 64 * 1024));
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public boolean caughtUp() {
        try {
            return in.available() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next frame, or null at a clean end of stream (between frames). */
    @Override
    public Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        if (length < Frame.HEADER_BYTES) {
            throw new ProtocolException("frame length " + length + " is shorter than the " + Frame.HEADER_BYTES + "-byte header");
        }
        if (length > maxFrameBytes) {
            throw new ProtocolException("frame length " + length + " exceeds the limit of " + maxFrameBytes + " bytes");
        }
        try {
            byte type = in.readByte();
            byte flags = in.readByte();
            int stream = in.readInt();
            byte[] payload = new byte[length - Frame.HEADER_BYTES];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        } catch (EOFException e) {
            throw new ProtocolException("stream ended inside a frame of declared length " + length);
        }
    }
}
