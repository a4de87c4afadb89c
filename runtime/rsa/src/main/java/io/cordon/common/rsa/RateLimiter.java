package io.cordon.common.rsa;

/** A token bucket: {@code perSecond} on average, bursts up to {@code burst} (by default one second's worth). */
final class RateLimiter {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(double perSecond) {
        this(perSecond, Math.max(1, perSecond));
    }

    RateLimiter(double perSecond, double burst) {
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = capacity;
    }

    boolean tryAcquire() {
        return tryAcquire(System.nanoTime());
    }

    /** As {@link #tryAcquire()} at {@code now} ({@link System#nanoTime}), for tests. */
    synchronized boolean tryAcquire(long now) {
        tokens = Math.min(capacity, tokens + Math.max(0, now - last) * perNano);
        last = Math.max(last, now);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
