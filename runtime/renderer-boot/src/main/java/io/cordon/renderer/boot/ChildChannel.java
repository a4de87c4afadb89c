package io.cordon.renderer.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameReader;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FrameWriter;
import io.cordon.common.channel.MessageAssembler;
import io.cordon.common.channel.MessageRoutes;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.StartupPhases;

/** The renderer's end of the channel: frames from main on stdin, frames to main on the real stdout. */
final class ChildChannel implements Channel {

    private final FrameReader reader;
    private final FrameWriter writer;
    private final MessageAssembler assembler;
    private final MessageRoutes routes = new MessageRoutes();
    private final StartupClock clock;

    ChildChannel(InputStream in, OutputStream out, int maxFrameBytes, int maxMessageBytes, StartupClock clock) {
        this.clock = clock;
        this.reader = new FrameReader(in, maxFrameBytes);
        this.writer = new FrameWriter(out, maxFrameBytes);
        this.assembler = new MessageAssembler(maxMessageBytes, 16);
    }

    @Override
    public void send(byte type, int stream, byte[] message) throws IOException {
        if (type == FrameType.RSA_HELLO) {
            clock.mark(StartupPhases.RSA_HELLO);
        }
        writer.send(type, stream, message);
    }

    @Override
    public void handle(byte type, MessageHandler handler) {
        routes.set(type, handler);
    }

    boolean handles(byte type) {
        return routes.get(type) != null;
    }

    /** Reads and dispatches until main closes the channel; returns normally at end of stream. */
    void readLoop() throws IOException {
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            Frame message = assembler.accept(frame);
            if (message != null) {
                dispatch(message);
            }
        }
    }

    private void dispatch(Frame message) throws IOException {
        if (message.type() == FrameType.RSA_SYNCED) {
            clock.mark(StartupPhases.RSA_SYNCED);
        }
        MessageHandler handler = routes.get(message.type());
        if (handler != null) {
            handler.onMessage(message);
        } else if (message.type() == FrameType.EXEC) {
            send(FrameType.EXEC_RESULT, message.stream(), new Messages.Result(1, "the renderer runtime is not active").encode());
        } else {
            System.err.println("cordon-renderer: ignoring unexpected " + message);
        }
    }
}
