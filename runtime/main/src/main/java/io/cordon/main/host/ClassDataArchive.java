package io.cordon.main.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.Logger;

/**
 * Class data sharing for renderer JVMs: one archive per renderer command line (java, JVM options,
 * class path), in {@code dir}, mapped read-only by every renderer started with that command line, so
 * they neither parse nor verify those classes again and share the pages. It holds the class path
 * (Felix, the bootstrap) and the bundles' classes the JVM can archive. On Java 17–24 it is a dynamic
 * AppCDS archive ({@code -XX:ArchiveClassesAtExit}); from Java 25 an AOT cache ({@code -XX:AOTCacheOutput}).
 *
 * <p>Built on first use, by a real renderer: the first one started without an archive writes it into its
 * own folder as it exits (so a sandboxed renderer can), and main moves it here. It is checked once per
 * run of main, in the background (a JVM that must use it runs {@code -version}); one this JVM cannot use
 * is deleted with one WARNING and renderers start without it. A renderer never depends on it: the JVM
 * ignores an archive it cannot map ({@code -Xshare:auto}), with a warning on the renderer's log.
 */
final class ClassDataArchive {

    /** Trainings that ended without an archive (a renderer killed, say) before giving up for this run. */
    private static final int MAX_TRAININGS = 3;
    private static final long CHECK_TIMEOUT_S = 60;

    private enum Kind {
        APP_CDS("-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=", List.of("-Xshare:on"), ".jsa"),
        AOT_CACHE("-XX:AOTCacheOutput=", "-XX:AOTCache=", List.of("-XX:AOTMode=on"), ".aot");

        final String train;
        final String use;
        final List<String> require;
        final String suffix;

        Kind(String train, String use, List<String> require, String suffix) {
            this.train = train;
            this.use = use;
            this.require = require;
            this.suffix = suffix;
        }

        static Kind of(Runtime.Version version) {
            return version.feature() >= 25 ? AOT_CACHE : APP_CDS;
        }
    }

    private record Training(String key, List<String> command) {
    }

    private final Path dir;
    private final List<String> perRenderer;
    private final Logger log;
    private final Executor background;
    private final Kind kind = Kind.of(Runtime.version());
    /** Renderer storage folder → what it is training. */
    private final Map<Path, Training> trainers = new ConcurrentHashMap<>();
    private final Map<String, Integer> failedTrainings = new ConcurrentHashMap<>();
    /** Archives checked (or being checked) in this run of main; and keys given up on (unusable, or never written). */
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** {@code perRenderer}: the prefixes of the JVM options that differ between renderers of one command line. */
    ClassDataArchive(Path dir, List<String> perRenderer, Logger log, Executor background) {
        this.dir = dir;
        this.perRenderer = List.copyOf(perRenderer);
        this.log = log;
        this.background = background;
    }

    /**
     * The options that give a renderer about to run {@code command} (java, options, {@code -cp}, class
     * path, main class) its archive: use it, or train it if none exists and no renderer is training it.
     */
    List<String> options(List<String> command, Path storage) {
        String key = key(command, perRenderer);
        if (refused.contains(key)) {
            return List.of();
        }
        Path archive = archive(key);
        if (Files.isRegularFile(archive)) {
            // Checked once per run of main, beside the renderers that already use it.
            if (checked.add(key)) {
                List<String> plain = List.copyOf(command);
                background.execute(() -> check(key, archive, plain));
            }
            return List.of(kind.use + archive);
        }
        if (trainers.values().stream().noneMatch(t -> t.key().equals(key)) && trainers.putIfAbsent(storage, new Training(key, List.copyOf(command))) == null) {
            // The dump names every class it leaves out, hundreds of lines of the renderer's log: not wanted.
            return List.of(kind.train + training(storage), "-Xlog:cds*=error:stderr");
        }
        return List.of();
    }

    /** A renderer is gone (its folder not yet deleted): if it was training, its archive moves here and is checked. */
    void collect(Path storage) {
        Training training = trainers.remove(storage);
        if (training == null) {
            return;
        }
        String key = training.key();
        Path trained = training(storage);
        try {
            if (Files.isRegularFile(trained) && Files.size(trained) > 0) {
                Files.createDirectories(dir);
                Path archive = archive(key);
                Files.move(trained, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                checked.add(key);
                background.execute(() -> check(key, archive, training.command()));
                return;
            }
        } catch (IOException e) {
            log.warn("cannot keep the renderers' class-data archive {}: {}", trained, e.toString());
        }
        if (failedTrainings.merge(key, 1, Integer::sum) >= MAX_TRAININGS) {
            refused.add(key);
            log.warn("{} renderers exited without writing a class-data archive ({}); renderers start without one until main restarts",
                    MAX_TRAININGS, kind.train + "…");
        }
    }

    /** Runs {@code java OPTIONS -cp CLASSPATH -version} required to use the archive: exit 0 means renderers can use it. */
    private void check(String key, Path archive, List<String> command) {
        List<String> cmd = new ArrayList<>(command.subList(0, command.size() - 1));
        cmd.removeIf(arg -> perRenderer.stream().anyMatch(arg::startsWith));
        cmd.addAll(1, kind.require);
        cmd.add(1, kind.use + archive);
        cmd.add("-version");
        String problem;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(CHECK_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            problem = p.isAlive() || p.exitValue() != 0 ? new String(output, StandardCharsets.UTF_8).strip().replace('\n', ' ') : null;
        } catch (IOException e) {
            problem = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        if (problem == null) {
            log.info("renderers start from the class-data archive {}", archive);
        } else {
            refused.add(key);
            log.warn("the renderers' class-data archive {} cannot be used by this JVM ({}); deleted, renderers start without it",
                    archive, problem);
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", archive, e.toString());
            }
        }
    }

    private Path archive(String key) {
        return dir.resolve("renderer-" + key + kind.suffix);
    }

    private Path training(Path storage) {
        return storage.resolve("class-data" + kind.suffix);
    }

    /** The command line without what differs between renderers, and the JVM's exact build. */
    static String key(List<String> command, List<String> perRenderer) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(System.getProperty("java.vm.version", "").getBytes(StandardCharsets.UTF_8));
            for (String arg : command) {
                if (perRenderer.stream().noneMatch(arg::startsWith)) {
                    digest.update((byte) 0);
                    digest.update(arg.getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
