package io.cordon.renderer.boot;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FramedChannel;
import io.cordon.common.channel.Messages;

/**
 * Entry point of a renderer JVM. Takes stdin/stdout for the channel before anything else can touch
 * them, moves {@code System.out} to stderr (the renderer's log, relayed by main), then serves main's
 * control frames until main says SHUTDOWN or goes away (stdin EOF).
 */
public final class RendererBoot {

    /** The renderer's own memory: what it has queued for main and not yet written. */
    private static final long MAX_QUEUED_BYTES = 64L << 20;

    private RendererBoot() {
    }

    public static void main(String[] args) {
        FileOutputStream channelOut = new FileOutputStream(FileDescriptor.out);
        // Nothing a bundle prints may corrupt the channel: stdout now goes to the log.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        Exit exit = new Exit();
        FramedChannel channel = new FramedChannel("main", new FileInputStream(FileDescriptor.in), channelOut,
                new FramedChannel.Limits(Contract.MAX_FRAME_BYTES, Contract.MAX_MESSAGE_TO_RENDERER,
                        Contract.MAX_OPEN_MESSAGES_TO_RENDERER, MAX_QUEUED_BYTES),
                ByteBudget.unlimited(), exit);
        RendererFramework framework = new RendererFramework(channel);
        channel.readLoop(message -> unhandled(channel, message));
        framework.stopQuickly();
        // A bundle's non-daemon thread or shutdown hook must not keep an orphan alive.
        Runtime.getRuntime().halt(exit.status);
    }

    private static void unhandled(FramedChannel channel, Frame message) throws IOException {
        if (message.type() == FrameType.EXEC) {
            channel.send(FrameType.EXEC_RESULT, message.stream(), new Messages.Result(1, "the renderer runtime is not active").encode());
        } else {
            System.err.println("cordon-renderer: ignoring unexpected " + message);
        }
    }

    /** How the channel ended decides the exit status: main going away is a normal end. */
    private static final class Exit implements FramedChannel.Owner {
        volatile int status;

        @Override
        public void violation(String what) {
            System.err.println("cordon-renderer: channel failed: " + what + "; exiting");
            status = 2;
        }

        @Override
        public void ended(IOException cause) {
            System.err.println(cause == null ? "cordon-renderer: main closed the channel; exiting"
                    : "cordon-renderer: channel failed: " + cause.getMessage() + "; exiting");
            status = cause == null ? 0 : 2;
        }

        @Override
        public void error(Error error) {
            System.err.println("cordon-renderer: " + error + "; exiting");
            status = 3;
        }
    }
}
