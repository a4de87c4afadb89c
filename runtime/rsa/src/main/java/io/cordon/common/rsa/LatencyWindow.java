package io.cordon.common.rsa;

import java.util.Arrays;

/** The last {@value #SIZE} latencies, for p50/p99 in {@code cordon:ipc}; fixed memory. */
final class LatencyWindow {

    private static final int SIZE = 1024;
    private final long[] samples = new long[SIZE];
    private int count;
    private int next;

    synchronized void record(long nanos) {
        samples[next] = nanos;
        next = (next + 1) % SIZE;
        count = Math.min(SIZE, count + 1);
    }

    /** The given percentile (0–100) in microseconds, or -1 without samples. */
    synchronized long percentileMicros(int percentile) {
        if (count == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = Math.min(count - 1, (int) Math.ceil(percentile / 100.0 * count) - 1);
        return sorted[Math.max(0, index)] / 1000;
    }
}
