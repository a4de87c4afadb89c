package io.cordon.main.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One folder's jars, scan after scan: reports each broken jar once per version of the file, and only
 * once the file has stopped changing between two scans, so a jar still being copied is not reported.
 * Not thread-safe: one scheduler thread calls {@link #scan()}.
 */
final class BrokenJarScan {

    private final Path dir;
    /** Stamps seen at the previous scan. */
    private Map<Path, FileStamp> previous = Map.of();
    /** The stamp each file had when it was last checked. */
    private final Map<Path, FileStamp> checked = new HashMap<>();

    BrokenJarScan(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The jars found broken since the last scan, each with the reason. */
    Map<Path, String> scan() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        Map<Path, String> broken = new LinkedHashMap<>();
        Map<Path, FileStamp> now = stampJars();
        now.forEach((file, stamp) -> {
            if (stamp.equals(previous.get(file)) && !stamp.equals(checked.get(file))) {
                checked.put(file, stamp);
                JarCheck.problem(file).ifPresent(reason -> broken.put(file, reason));
            }
        });
        checked.keySet().retainAll(now.keySet());
        previous = now;
        return broken;
    }

    /** True while a jar seen at the last scan has not been checked as it is now: a scan must look again. */
    boolean settling() {
        return previous.entrySet().stream().anyMatch(e -> !e.getValue().equals(checked.get(e.getKey())));
    }

    private Map<Path, FileStamp> stampJars() throws IOException {
        Map<Path, FileStamp> stamps = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted()
                    .forEach(f -> FileStamp.of(f).ifPresent(stamp -> stamps.put(f, stamp)));
        }
        return stamps;
    }
}
