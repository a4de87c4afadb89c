package io.cordon.common.channel;

import java.io.IOException;

/**
 * One end of the private main ↔ renderer channel. In a renderer, the bootstrap registers it as an
 * OSGi service so the child runtime bundle can carry its own traffic (exec, RSA) on it.
 */
public interface Channel {

    /** Sends a message of any size (chunked into frames when needed); thread-safe. */
    void send(byte type, int stream, byte[] message) throws IOException;

    /** Routes whole incoming messages of {@code type} to {@code handler} (null stops routing). */
    void handle(byte type, MessageHandler handler);

    /**
     * Runs {@code task} on the calling thread if it is the channel's reader (a message handler) and the
     * channel can let another thread read meanwhile, should the task take long; false, doing nothing,
     * otherwise (the caller then hands the task to another thread).
     */
    default boolean runOnReader(Runnable task) {
        return false;
    }

    /** Receives whole messages; called on the channel's reader thread, so it must not block long. */
    @FunctionalInterface
    interface MessageHandler {
        void onMessage(Frame message) throws IOException;
    }
}
