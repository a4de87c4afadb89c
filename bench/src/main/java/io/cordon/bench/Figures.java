package io.cordon.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of one bench run, printed as {@code name: value} lines in the order they were added. */
final class Figures {

    private final Map<String, String> values = new LinkedHashMap<>();

    Figures put(String name, Object value) {
        values.put(name, String.valueOf(value));
        return this;
    }

    /** Adds every figure of {@code other}, in its order. */
    Figures putAll(Figures other) {
        values.putAll(other.values);
        return this;
    }

    /** The 1-minute system load average now, for {@link #host}. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Adds the host: {@code bench.cpus}, {@code bench.loadavg} (as given), {@code bench.java} and {@code bench.os}. */
    Figures host(double loadAverage) {
        return put("bench.cpus", Runtime.getRuntime().availableProcessors())
                .put("bench.loadavg", String.format(Locale.ROOT, "%.2f", loadAverage))
                .put("bench.java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")")
                .put("bench.os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    /** Adds {@code prefix_p50_ms}, {@code prefix_p90_ms} and {@code prefix_max_ms}. */
    Figures durations(String prefix, Samples samples) {
        return put(prefix + "_p50_ms", samples.percentileMs(50))
                .put(prefix + "_p90_ms", samples.percentileMs(90))
                .put(prefix + "_max_ms", samples.maxMs());
    }

    /** Adds {@code prefix_rss_mb} and {@code prefix_pss_mb} in MiB, one decimal. */
    Figures memory(String prefix, ProcMemory memory) {
        return put(prefix + "_rss_mb", mib(memory.rssKb())).put(prefix + "_pss_mb", mib(memory.pssKb()));
    }

    private static String mib(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
    }
}
