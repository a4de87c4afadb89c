package io.cordon.main.host;

/**
 * Exponential restart delay: {@code first}, doubling after each consecutive crash, never above
 * {@code cap}. A renderer that stayed READY for {@link #STABLE_MS} is forgiven its past crashes.
 */
final class RestartBackoff {

    static final long STABLE_MS = 30_000;

    private RestartBackoff() {
    }

    static long delay(long firstMs, long capMs, int consecutiveCrashes) {
        long delay = Math.max(0, firstMs);
        for (int i = 0; i < consecutiveCrashes && delay < capMs; i++) {
            delay *= 2;
        }
        return Math.min(delay, Math.max(0, capMs));
    }

    static int nextCrashCount(int previous, long readyForMs) {
        return readyForMs >= STABLE_MS ? 0 : previous + 1;
    }
}
