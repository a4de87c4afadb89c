package io.cordon.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Durations of repeated runs, summarised by nearest-rank percentiles in whole milliseconds. */
final class Samples {

    private final List<Long> nanos = new ArrayList<>();

    void add(long durationNanos) {
        nanos.add(durationNanos);
    }

    int size() {
        return nanos.size();
    }

    /** The smallest sample that at least {@code percent} % of the samples do not exceed. */
    long percentileMs(int percent) {
        return toMs(percentile(percent));
    }

    /** As {@link #percentileMs}, in whole microseconds. */
    long percentileUs(int percent) {
        return Math.round(percentile(percent) / 1_000.0);
    }

    private long percentile(int percent) {
        if (nanos.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    long maxMs() {
        return percentileMs(100);
    }

    private static long toMs(long nanos) {
        return Math.round(nanos / 1_000_000.0);
    }
}
