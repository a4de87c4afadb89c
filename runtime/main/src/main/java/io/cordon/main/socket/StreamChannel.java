package io.cordon.main.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Consumer;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameReader;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FrameWriter;
import io.cordon.common.channel.MessageAssembler;
import io.cordon.common.channel.MessageRoutes;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.ProtocolException;

/**
 * The renderer channel's framing over a socket's streams: the same frame reader and writer, the same
 * message assembler and bounds as main's end of a renderer's pipes. The greeting is read and written
 * through it before {@link #run} starts routing, so no byte read ahead is lost.
 */
final class StreamChannel implements Channel {

    static final int MAX_FRAME_BYTES = 1 << 20;
    /** As for a renderer: a 16 MiB RSA payload plus its encoding's overhead, at most 4 chunked messages open. */
    private static final int MAX_MESSAGE_BYTES = (16 << 20) + (64 << 10);
    private static final int MAX_OPEN_MESSAGES = 4;

    private final FrameReader reader;
    private final FrameWriter writer;
    private final Closeable socket;
    private final MessageAssembler assembler = new MessageAssembler(MAX_MESSAGE_BYTES, MAX_OPEN_MESSAGES);
    private final MessageRoutes routes = new MessageRoutes();
    private volatile boolean closed;

    StreamChannel(InputStream in, OutputStream out, Closeable socket) {
        this.reader = new FrameReader(in, MAX_FRAME_BYTES);
        this.writer = new FrameWriter(out, MAX_FRAME_BYTES);
        this.socket = socket;
    }

    @Override
    public void send(byte type, int stream, byte[] message) throws IOException {
        writer.send(type, stream, message);
    }

    @Override
    public void handle(byte type, MessageHandler handler) {
        routes.set(type, handler);
    }

    /** A greeting message (RSA_HELLO with a string map), before routing starts. */
    void sendGreeting(Map<String, String> message) throws IOException {
        writer.send(FrameType.RSA_HELLO, 0, Messages.map(message));
    }

    Map<String, String> readGreeting() throws IOException {
        Frame frame = reader.read();
        if (frame == null) {
            throw new IOException("the peer closed the connection during the greeting");
        }
        if (frame.type() != FrameType.RSA_HELLO || frame.flags() != 0) {
            throw new ProtocolException("expected a greeting, got " + frame);
        }
        return Messages.map(frame.payload());
    }

    /**
     * Routes messages until the peer closes the socket or breaks the protocol. A frame of a type
     * nobody handles is a protocol violation, as on a renderer's channel.
     *
     * @param violation told once, with what the peer did, when it breaks the protocol
     */
    void run(Consumer<String> violation) {
        try {
            for (Frame frame = reader.read(); frame != null && !closed; frame = reader.read()) {
                Frame message = assembler.accept(frame);
                if (message != null) {
                    MessageHandler handler = routes.get(message.type());
                    if (handler == null) {
                        throw new ProtocolException("unexpected frame " + message);
                    }
                    handler.onMessage(message);
                }
            }
        } catch (ProtocolException e) {
            if (!closed) {
                violation.accept("malformed frame: " + e.getMessage());
            }
        } catch (IOException e) {
            // the peer is gone, or close() closed the socket
        } finally {
            close();
        }
    }

    void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    boolean isClosed() {
        return closed;
    }
}
