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
     * Defaults for a machine shared with other work: a small call's round trip fits in the spin, a busy
     * peer's in the yield, and a waiting thread burns at most this much CPU per message.
     */
    public static final AdaptiveIdle DEFAULT = new AdaptiveIdle(50_000, 200_000);

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
