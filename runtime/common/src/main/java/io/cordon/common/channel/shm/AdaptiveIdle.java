package io.cordon.common.channel.shm;

/**
 * How a ring's consumer waits for the next message, by how long it has waited so far: spin
 * ({@link Thread#onSpinWait}) while an answer is likely to arrive within microseconds, then yield the core
 * to whoever else needs it, then park until the producer rings the doorbell. Spinning and yielding are
 * bounded in time, so a channel with no traffic parks within {@code spinNanos + yieldNanos} and costs no
 * CPU afterwards.
 */
public record AdaptiveIdle(long spinNanos, long yieldNanos) {

    /**
     * Defaults measured on 2 busy cores: the spin stays short because the peer may be waiting for this very
     * core, and every microsecond spun then is a microsecond added to the round trip (a 50 µs spin made small
     * calls take 100 µs, twice the spin; 1–2 µs made them 5–10 µs). Yielding polls almost as fast when a core
     * is free and hands the core over when it is not; after 50 µs without a message the thread parks. A thread
     * that yields stays runnable and competes with the threads a call needs, so a longer window shows at p99:
     * 200 µs gave back-to-back calls a p99 of 222–238 µs, 50 µs 93–113 µs (one caller's calls/s 10 % fewer).
     */
    public static final AdaptiveIdle DEFAULT = new AdaptiveIdle(1_000, 50_000);

    /**
     * A yield that takes longer than this, after which the peer has still published nothing, gave the core
     * to other work: the machine is busy. A yielding thread stays runnable, so on a busy core it gets its
     * turn only when the other work lets go, while a thread parked on the doorbell is run as soon as it is
     * woken; so for {@link #BUSY_NANOS} a reader parks where it would yield.
     */
    static final long CONTENDED_YIELD_NANOS = 50_000;
    static final long BUSY_NANOS = 100_000_000;

    /** Whether a yield of {@code yieldNanos} that left the peer's ring {@code stillEmpty} says the machine is busy. */
    static boolean busyAfter(long yieldNanos, boolean stillEmpty) {
        return stillEmpty && yieldNanos > CONTENDED_YIELD_NANOS;
    }

    /** As {@link #phase(long)}, but parking instead of yielding while the machine is {@code busy}. */
    public Phase phase(long waitedNanos, boolean busy) {
        Phase phase = phase(waitedNanos);
        return busy && phase == Phase.YIELD ? Phase.PARK : phase;
    }

    public enum Phase { SPIN, YIELD, PARK }

    public AdaptiveIdle {
        if (spinNanos < 0 || yieldNanos < 0) {
            throw new IllegalArgumentException("spin and yield times must not be negative: " + spinNanos + ", " + yieldNanos);
        }
    }

    /** What to do after having waited {@code waitedNanos} for a message. */
    public Phase phase(long waitedNanos) {
        if (waitedNanos < spinNanos) {
            return Phase.SPIN;
        }
        return waitedNanos < spinNanos + yieldNanos ? Phase.YIELD : Phase.PARK;
    }
}
