package io.cordon.bench;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A bench's {@code close()} as one step whose failure is an {@link IOException}: a close that declares
 * InterruptedException makes javac's lint warn at every try-with-resources that uses it. An interruption
 * keeps the thread's flag.
 */
public final class Cleanup {

    /** A clean-up step that may throw anything. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private Cleanup() {
    }

    public static void run(String what, Step step) throws IOException {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        } catch (Exception e) {
            throw new IOException(what + " failed: " + e.getMessage(), e);
        }
    }
}
