package io.cordon.bench.ipc;

import java.time.Duration;
import java.util.List;

/** CPU that processes use while nobody calls them: what waiting costs (heartbeats, polling, spinning). */
final class IdleCpu {

    private IdleCpu() {
    }

    /** CPU time {@code processes} used together during {@code millis} of this thread's sleep, in percent of one core. */
    static double percent(List<ProcessHandle> processes, long millis) throws InterruptedException {
        long before = total(processes);
        Thread.sleep(millis);
        return (total(processes) - before) / 10_000.0 / millis;
    }

    private static long total(List<ProcessHandle> processes) {
        long nanos = 0;
        for (ProcessHandle p : processes) {
            nanos += p.info().totalCpuDuration().map(Duration::toNanos)
                    .orElseThrow(() -> new IllegalStateException("the OS does not report the CPU time of process " + p.pid()));
        }
        return nanos;
    }
}
