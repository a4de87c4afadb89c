package io.cordon.renderer.boot;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;

import io.cordon.common.channel.StartupPhases;

/**
 * Entry point of a renderer JVM. Takes stdin/stdout for the channel before anything else can touch
 * them, moves {@code System.out} to stderr (the renderer's log, relayed by main), then serves main's
 * control frames until main says SHUTDOWN or goes away (stdin EOF).
 */
public final class RendererBoot {

    /** Frame size limit; main uses the same. Bundles are chunked to fit. */
    static final int MAX_FRAME_BYTES = 1 << 20;
    /** Largest message main may send (a bundle jar). */
    static final int MAX_MESSAGE_BYTES = 256 << 20;

    private RendererBoot() {
    }

    public static void main(String[] args) {
        StartupClock clock = new StartupClock();
        clock.mark(StartupPhases.BOOT);
        FileOutputStream channelOut = new FileOutputStream(FileDescriptor.out);
        // Nothing a bundle prints may corrupt the channel: stdout now goes to the log.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        ChildChannel channel = new ChildChannel(new FileInputStream(FileDescriptor.in), channelOut,
                MAX_FRAME_BYTES, MAX_MESSAGE_BYTES, clock);
        RendererFramework framework = new RendererFramework(channel, clock);
        int status = 0;
        try {
            channel.readLoop();
            System.err.println("cordon-renderer: main closed the channel; exiting");
        } catch (IOException e) {
            System.err.println("cordon-renderer: channel failed: " + e.getMessage() + "; exiting");
            status = 2;
        }
        framework.stopQuickly();
        // A bundle's non-daemon thread or shutdown hook must not keep an orphan alive.
        Runtime.getRuntime().halt(status);
    }
}
