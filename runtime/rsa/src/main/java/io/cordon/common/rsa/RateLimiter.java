package io.cordon.common.rsa;

/** A token bucket: {@code perSecond} calls a second on average, bursts up to one second's worth. */
final class RateLimiter {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(double perSecond) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, perSecond);
        this.tokens = capacity;
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
