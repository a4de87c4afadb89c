package io.cordon.main.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.cordon.api.RendererType;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.Messages.BundleMessage;

/**
 * One renderer type's bundles as they are now: its preload and renderer locations, in start order.
 * Folders (every {@code *.jar} inside, by name) and jar files are re-read when they change; URLs only
 * when a renderer is spawned. A jar that is not a valid bundle is refused: reported once per version
 * of the file, once it has stopped changing, and the previous version of that file (if any) stays
 * current. Thread-safe: the hot-deploy thread scans, spawns read.
 */
final class TypeBundles {

    static final int PRELOAD_LEVEL = Contract.PRELOAD_LEVEL;
    static final int RENDERER_LEVEL = Contract.RENDERER_LEVEL;

    /** One bundle of the type; {@link #version()} is what a renderer must have to be up to date. */
    record Jar(String location, int startLevel, byte[] bytes, String digest, FileStamp stamp) {

        BundleMessage message() {
            return new BundleMessage(location, startLevel, bytes);
        }

        String version() {
            return startLevel + ":" + digest;
        }
    }

    /** What a scan found wrong: refused jars (errors) and unusable locations (warnings), each to log once. */
    record Problems(List<String> errors, List<String> warnings) {
    }

    private record Seen(FileStamp stamp, long sinceNanos) {
    }

    private final List<String> preload;
    private final List<String> bundles;
    private final Path home;
    private final long settleNanos;
    private Map<String, Jar> current = Map.of();
    /** Each file's stamp and since when it has had it, to tell a file being written from a broken one. */
    private final Map<Path, Seen> seen = new HashMap<>();
    /** The version of each refused file that was reported, so it is reported once. */
    private final Map<Path, FileStamp> refused = new HashMap<>();

    TypeBundles(RendererType type, Path home, long settleMs) {
        this.preload = type.preload();
        this.bundles = type.bundles();
        this.home = home;
        this.settleNanos = settleMs * 1_000_000;
    }

    boolean sameLocations(RendererType type) {
        return preload.equals(type.preload()) && bundles.equals(type.bundles());
    }

    /** The folders whose changes change the type's bundles, watched: folder locations, and those holding a jar file location. */
    List<Path> folders() {
        return Stream.concat(preload.stream(), bundles.stream()).filter(l -> !isUrl(l))
                .map(l -> l.endsWith(".jar") ? path(l).getParent() : path(l)).filter(Objects::nonNull).distinct().toList();
    }

    /** True while a file seen at the last scan changed less than a poll interval before: a scan must look again. */
    synchronized boolean settling() {
        long now = System.nanoTime();
        return seen.values().stream().anyMatch(s -> now - s.sinceNanos() < settleNanos);
    }

    /** The bundles in start order, by location. */
    synchronized Map<String, Jar> current() {
        return current;
    }

    /**
     * Re-reads what changed on disk. For a spawn ({@code spawning}) URLs are fetched too, and a missing
     * jar file or an unreadable URL is an IOException as before hot deploy; otherwise they are problems
     * and the previous content stays current.
     */
    synchronized Problems scan(boolean spawning) throws IOException {
        Map<String, Jar> next = new LinkedHashMap<>();
        Problems problems = new Problems(new ArrayList<>(), new ArrayList<>());
        Set<Path> present = new HashSet<>();
        for (String location : preload) {
            scan(location, PRELOAD_LEVEL, spawning, next, problems, present);
        }
        for (String location : bundles) {
            scan(location, RENDERER_LEVEL, spawning, next, problems, present);
        }
        seen.keySet().retainAll(present);
        refused.keySet().retainAll(present);
        current = next;
        return problems;
    }

    private void scan(String location, int level, boolean spawning, Map<String, Jar> next, Problems problems, Set<Path> present)
            throws IOException {
        if (isUrl(location)) {
            if (spawning) {
                try (InputStream in = URI.create(location).toURL().openStream()) {
                    byte[] bytes = in.readAllBytes();
                    next.put(location, new Jar(location, level, bytes, digest(bytes), null));
                }
            } else {
                Optional.ofNullable(current.get(location)).ifPresent(jar -> next.put(location, jar));
            }
            return;
        }
        Path path = path(location);
        if (Files.isDirectory(path)) {
            try (Stream<Path> jars = Files.list(path)) {
                for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList()) {
                    present.add(jar);
                    scanJar(jar, level, next, problems);
                }
            }
        } else if (Files.isRegularFile(path)) {
            present.add(path);
            scanJar(path, level, next, problems);
        } else if (location.endsWith(".jar")) {
            String missing = key(level) + " location " + location + " (" + path + ") does not exist";
            if (spawning) {
                throw new IOException(missing);
            }
            problems.warnings().add(missing + "; renderers keep the bundle they have from it");
            Optional.ofNullable(current.get(path.toUri().toString())).ifPresent(jar -> next.put(jar.location(), jar));
        } else {
            problems.warnings().add(missingFolder(location, level, path));
        }
    }

    /** A folder a type names that is not there, with what it costs and the two ways to fix it. */
    private String missingFolder(String location, int level, Path path) {
        String fix = "create it, or fix " + key(level) + "= in the type's .cfg (a relative location is resolved against "
                + home + ")";
        return level == PRELOAD_LEVEL
                ? "preload folder " + location + " (" + path + ") does not exist, so its renderers start without preload "
                        + "bundles, and renderer bundles that need the API or services a preload brings stay unresolved or "
                        + "unsatisfied; " + fix + " and put the preload bundles (the API jar and your preload) in it"
                : "bundle folder " + location + " (" + path + ") does not exist; renderers get no bundles from it until it is "
                        + "created: " + fix;
    }

    private static String key(int level) {
        return level == PRELOAD_LEVEL ? "preload" : "bundles";
    }

    private void scanJar(Path file, int level, Map<String, Jar> next, Problems problems) throws IOException {
        String location = file.toUri().toString();
        Jar known = current.get(location);
        Optional<FileStamp> stamp = FileStamp.of(file);
        if (stamp.isEmpty()) {
            return; // deleted while listing
        }
        Seen previous = seen.get(file);
        if (previous == null || !previous.stamp().equals(stamp.get())) {
            seen.put(file, new Seen(stamp.get(), System.nanoTime()));
        }
        if (known != null && stamp.get().equals(known.stamp()) && known.startLevel() == level) {
            next.put(location, known);
            return;
        }
        Optional<String> problem = JarCheck.problem(file);
        if (problem.isEmpty()) {
            byte[] bytes = Files.readAllBytes(file);
            if (stamp.equals(FileStamp.of(file))) {
                String digest = digest(bytes);
                next.put(location, known != null && known.digest().equals(digest) && known.startLevel() == level
                        ? new Jar(location, level, known.bytes(), digest, stamp.get())
                        : new Jar(location, level, bytes, digest, stamp.get()));
                refused.remove(file);
                return;
            }
            // still being written: keep what was there, look again at the next scan
        } else if (settled(file) && !stamp.get().equals(refused.get(file))) {
            refused.put(file, stamp.get());
            problems.errors().add(file + " is not a valid bundle: " + problem.get());
        }
        if (known != null) {
            next.put(location, known);
        }
    }

    /** True once the file has kept its size and time for a poll interval: a copy still in progress is not refused. */
    private boolean settled(Path file) {
        Seen s = seen.get(file);
        return s != null && System.nanoTime() - s.sinceNanos() >= settleNanos;
    }

    private Path path(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : home.resolve(location);
    }

    private static boolean isUrl(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !location.startsWith("file:");
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
