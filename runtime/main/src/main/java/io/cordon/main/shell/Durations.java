package io.cordon.main.shell;

import java.time.Duration;

/** Short, script-friendly durations: {@code 850ms}, {@code 12s}, {@code 3m07s}, {@code 2h05m}. */
final class Durations {

    private Durations() {
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        long s = ms / 1_000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3_600, (s % 3_600) / 60);
    }
}
