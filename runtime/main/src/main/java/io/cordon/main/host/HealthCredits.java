package io.cordon.main.host;

/**
 * How many HEALTH reports a renderer may send: an honest one sends at most one per heartbeat main sent
 * it, one per hot-deploy operation and one at start-up; unused allowance is capped, so a renderer cannot
 * save up for a flood of log lines and events. Thread-safe.
 */
final class HealthCredits {

    private final int max;
    private int credits = 1;

    HealthCredits(int max) {
        this.max = max;
    }

    /** Main sent something a HEALTH report may answer. */
    synchronized void grant() {
        credits = Math.min(max, credits + 1);
    }

    /** False when the renderer has no report left to send. */
    synchronized boolean take() {
        if (credits == 0) {
            return false;
        }
        credits--;
        return true;
    }
}
