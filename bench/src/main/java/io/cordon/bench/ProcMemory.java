package io.cordon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory of a live process from Linux's {@code /proc/PID/smaps_rollup}. RSS counts every resident
 * page; PSS divides shared pages (the JDK's libraries and CDS archive) among the processes sharing
 * them, so it is the better estimate of what one more renderer costs.
 */
public record ProcMemory(long rssKb, long pssKb) {

    public static ProcMemory of(long pid) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
        return new ProcMemory(field(lines, "Rss:", pid), field(lines, "Pss:", pid));
    }

    private static long field(List<String> lines, String name, long pid) {
        return lines.stream().filter(l -> l.startsWith(name))
                .map(l -> Long.parseLong(l.substring(name.length()).replace("kB", "").trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " in /proc/" + pid + "/smaps_rollup"));
    }
}
