package io.cordon.itests;

import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Waits for an asynchronous outcome (FileInstall polls, DS activates) without ever asserting on
 * timing: the deadline is only there so a broken build fails instead of hanging.
 */
final class Poll {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long STEP_MS = 50;

    private Poll() {
    }

    /** Returns the first non-null value of {@code probe}; fails with {@code what} after the timeout. */
    static <T> T until(String what, Supplier<T> probe) {
        return until(() -> what, probe);
    }

    /** As {@link #until(String, Supplier)} with a longer deadline. */
    static <T> T until(String what, Supplier<T> probe, Duration timeout) {
        return until(() -> what, probe, timeout);
    }

    /** As {@link #until(String, Supplier)}, with a description computed at failure time (e.g. a log dump). */
    static <T> T until(Supplier<String> what, Supplier<T> probe) {
        return until(what, probe, TIMEOUT);
    }

    /** As {@link #until(Supplier, Supplier)} with a longer deadline, for what waits on renderer JVMs starting. */
    static <T> T until(Supplier<String> what, Supplier<T> probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("gave up after " + timeout.toSeconds() + " s waiting for: " + what.get());
            }
            sleep();
        }
    }

    /** The service, once registered (looked up each time: a test may restart the bundle that provides it). */
    static <T> T service(BundleContext context, Class<T> type) {
        return until("a " + type.getSimpleName() + " service", () -> {
            ServiceReference<T> ref = context.getServiceReference(type);
            return ref == null ? null : context.getService(ref);
        });
    }

    /** Waits until {@code condition} holds; fails with {@code what} after the timeout. */
    static void untilTrue(String what, Supplier<Boolean> condition) {
        until(what, () -> condition.get() ? Boolean.TRUE : null);
    }

    private static void sleep() {
        try {
            Thread.sleep(STEP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
