package io.cordon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a live process has used so far (user + system, all its threads), from Linux's
 * {@code /proc/PID/stat}, in clock ticks of 10 ms. Less swayed than wall time by other work on the
 * machine: a start-up that needs less CPU shows it even on a busy machine.
 */
public final class ProcCpu {

    private static final long TICK_NANOS = 10_000_000;

    private ProcCpu() {
    }

    public static long nanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
    }
}
