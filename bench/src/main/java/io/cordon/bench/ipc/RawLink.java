package io.cordon.bench.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameReader;
import io.cordon.common.channel.FrameWriter;
import io.cordon.common.channel.MessageAssembler;
import io.cordon.common.channel.shm.AdaptiveIdle;
import io.cordon.common.channel.shm.RingReader;
import io.cordon.common.channel.shm.RingWriter;
import io.cordon.common.channel.shm.SharedRings;

/**
 * One end of the raw baseline: whole messages over a pipe pair or over shared-memory rings (with the pipe
 * pair as doorbells), framed and reassembled as Cordon's channel does, on the caller's thread only.
 */
abstract class RawLink {

    static final int MAX_FRAME_BYTES = 1 << 20;
    /** Each direction's ring: frames up to 1 MiB − 4 bytes, as large as the pipe's. */
    static final int RING_BYTES = 2 << 20;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final MessageAssembler assembler = new MessageAssembler(32 << 20, 4);

    static RawLink pipe(InputStream in, OutputStream out) {
        FrameReader reader = new FrameReader(in, MAX_FRAME_BYTES);
        FrameWriter writer = new FrameWriter(out, MAX_FRAME_BYTES);
        return new RawLink() {
            @Override
            void send(byte type, int stream, byte[] message) throws IOException {
                writer.send(type, stream, message);
            }

            @Override
            Frame read() throws IOException {
                return reader.read();
            }
        };
    }

    static RawLink shm(SharedRings rings, SharedRings.Side side, InputStream doorbellIn, OutputStream doorbellOut) {
        RingReader reader = rings.reader(side, doorbellIn, SharedRings.maxFrameBytes(rings.capacity()), AdaptiveIdle.DEFAULT);
        RingWriter writer = rings.writer(side, doorbellOut, STALL_NANOS, AdaptiveIdle.DEFAULT);
        int chunk = writer.chunkBytes();
        return new RawLink() {
            @Override
            void send(byte type, int stream, byte[] message) throws IOException {
                for (int offset = 0; offset == 0 || offset < message.length; offset += chunk) {
                    int length = Math.min(chunk, message.length - offset);
                    writer.writeUnflushed(type, offset + length < message.length ? Frame.MORE : 0, stream, message, offset, length);
                }
                writer.flush();
            }

            @Override
            Frame read() throws IOException {
                return reader.read();
            }
        };
    }

    abstract void send(byte type, int stream, byte[] message) throws IOException;

    /** The next frame, or null at the end of the channel. */
    abstract Frame read() throws IOException;

    /** The next whole message, or null at the end of the channel. */
    final Frame receive() throws IOException {
        for (Frame frame = read(); frame != null; frame = read()) {
            Frame message = assembler.accept(frame);
            if (message != null) {
                return message;
            }
        }
        return null;
    }
}
