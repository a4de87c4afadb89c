package io.cordon.bench.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.cordon.bench.ProcCpu;

/** CPU that processes use while nobody calls them: what waiting costs (heartbeats, polling, spinning). */
final class IdleCpu {

    /**
     * A window's figures: {@code percent} of one core for all processes together (their utime + stime, as
     * {@code /proc/PID/stat} counts it), and the {@code busiest} threads, {@code process/thread percent}, each
     * process's threads of one name summed (Linux keeps a thread's first 15 characters).
     */
    record Window(double percent, String busiest) {
    }

    private IdleCpu() {
    }

    /** CPU time {@code processes} used together during {@code millis} of this thread's sleep, in percent of one core. */
    static double percent(List<ProcessHandle> processes, long millis) throws InterruptedException {
        long before = total(processes);
        Thread.sleep(millis);
        return (total(processes) - before) / 10_000.0 / millis;
    }

    /**
     * As {@link #percent}, after {@code settleMs} without calls, with the {@code top} busiest threads of the
     * {@code processes}, by label. The threads are listed before and after the total's window, not inside it,
     * and once before the settling too, so that neither reading {@code /proc} nor compiling that code counts.
     */
    static Window watch(Map<String, ProcessHandle> processes, long settleMs, long millis, int top) throws InterruptedException {
        threads(processes);
        Thread.sleep(settleMs);
        Map<String, Long> threadsBefore = threads(processes);
        long before = total(List.copyOf(processes.values()));
        Thread.sleep(millis);
        long used = total(List.copyOf(processes.values())) - before;
        Map<String, Long> byName = new HashMap<>();
        threads(processes).forEach((thread, nanos) -> byName.merge(thread.substring(thread.indexOf(' ') + 1),
                nanos - threadsBefore.getOrDefault(thread, 0L), Long::sum));
        String busiest = byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 10_000.0 / millis))
                .collect(Collectors.joining(", "));
        return new Window(used / 10_000.0 / millis, busiest);
    }

    /**
     * CPU time of the processes, threads that ended included, from {@code /proc} ({@link ProcCpu}), not
     * {@code ProcessHandle.info()}, which also reads the command line and looks up the user: work that would
     * count in the window it measures.
     */
    private static long total(List<ProcessHandle> processes) {
        long nanos = 0;
        for (ProcessHandle p : processes) {
            try {
                nanos += ProcCpu.nanos(p.pid());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the CPU time of process " + p.pid() + ": " + e, e);
            }
        }
        return nanos;
    }

    /**
     * Nanoseconds each live thread has run ({@code /proc/PID/task/TID/schedstat}, first field), keyed
     * {@code "TID label/name"}; a thread that ends meanwhile is skipped.
     */
    private static Map<String, Long> threads(Map<String, ProcessHandle> processes) {
        Map<String, Long> threads = new HashMap<>();
        processes.forEach((label, process) -> {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                tasks.forEach(task -> {
                    try {
                        String name = Files.readString(task.resolve("comm")).strip();
                        long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                        threads.put(task.getFileName() + " " + label + "/" + name, nanos);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended between the listing and the read
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot list the threads of process " + process.pid() + ": " + e.getMessage(), e);
            }
        });
        return threads;
    }
}
