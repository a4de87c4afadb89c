package io.cordon.renderer.boot;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FramedChannel;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.StartupPhases;
import io.cordon.common.channel.shm.RingTransport;
import io.cordon.common.channel.shm.SharedRings;
import io.cordon.common.channel.shm.SocketBell;

/**
 * Entry point of a renderer JVM. Takes stdin/stdout for the channel (or as the doorbells of its
 * shared-memory rings) before anything else can touch them, moves {@code System.out} to stderr (the renderer's log, relayed by main), then serves main's
 * control frames until main says SHUTDOWN or goes away (stdin EOF).
 */
public final class RendererBoot {

    /** The renderer's own memory: what it has queued for main and not yet written. */
    private static final long MAX_QUEUED_BYTES = 64L << 20;

    private RendererBoot() {
    }

    public static void main(String[] args) {
        StartupClock clock = new StartupClock();
        clock.mark(StartupPhases.BOOT);
        FileOutputStream channelOut = new FileOutputStream(FileDescriptor.out);
        // Nothing a bundle prints may corrupt the channel: stdout now goes to the log.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        Exit exit = new Exit();
        FramedChannel channel = open(new FileInputStream(FileDescriptor.in), channelOut, exit);
        RendererFramework framework = new RendererFramework(channel, clock);
        channel.readLoop(message -> unhandled(channel, message));
        framework.stopQuickly();
        // A bundle's non-daemon thread or shutdown hook must not keep an orphan alive.
        Runtime.getRuntime().halt(exit.status);
    }

    /**
     * The channel to main: over the shared-memory rings main named in {@link Contract#CHANNEL_SHM_ENV}, whose
     * file is removed here before any bundle can see it, with stdout as main's doorbell and main's socket
     * ({@link Contract#CHANNEL_BELL_ENV}, connected before the reader can sleep) or else stdin as this side's;
     * else over the pipe.
     */
    private static FramedChannel open(FileInputStream in, FileOutputStream out, Exit exit) {
        String ringFile = System.getenv(Contract.CHANNEL_SHM_ENV);
        if (ringFile == null) {
            return new FramedChannel("main", in, out, limits(Contract.MAX_FRAME_BYTES), ByteBudget.unlimited(), exit);
        }
        try {
            String bell = System.getenv(Contract.CHANNEL_BELL_ENV);
            InputStream bells = bell == null ? in : SocketBell.connect(Path.of(bell));
            RingTransport ring = RingTransport.of(SharedRings.openAndRemove(Path.of(ringFile)), SharedRings.Side.RENDERER, bells, out);
            return new FramedChannel("main", ring.source(), ring.sink(), limits(ring.maxFrameBytes()), ByteBudget.unlimited(), exit)
                    .wakingTrustedPeer();
        } catch (IOException | RuntimeException e) {
            System.err.println("cordon-renderer: cannot map the shared-memory channel " + ringFile + ": " + e.getMessage() + "; exiting");
            Runtime.getRuntime().halt(2);
            throw new IllegalStateException("not reached", e);
        }
    }

    private static FramedChannel.Limits limits(int maxFrameBytes) {
        return new FramedChannel.Limits(maxFrameBytes, Contract.MAX_MESSAGE_TO_RENDERER, Contract.MAX_OPEN_MESSAGES_TO_RENDERER, MAX_QUEUED_BYTES);
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
