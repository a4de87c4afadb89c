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
import java.util.stream.Stream;

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

    /**
     * AppCDS writes its archive as the training renderer exits. The AOT cache is made in two steps: the
     * renderer records a configuration as it exits (quick), main assembles the cache from it in the
     * background, so no renderer's exit waits for the assembly.
     */
    private enum Kind {
        APP_CDS(".jsa", "-XX:SharedArchiveFile=", List.of("-Xshare:on"), "cds*=error"),
        AOT_CACHE(".aotconf", "-XX:AOTCache=", List.of("-XX:AOTMode=on"), "cds*=error,aot*=error");

        final String trainedSuffix;
        final String use;
        final List<String> require;
        /** The training's unified-log selection: it names every class it leaves out, hundreds of lines otherwise. */
        final String quiet;

        Kind(String trainedSuffix, String use, List<String> require, String quiet) {
            this.trainedSuffix = trainedSuffix;
            this.use = use;
            this.require = require;
            this.quiet = quiet;
        }

        static Kind of(Runtime.Version version) {
            return version.feature() >= 25 ? AOT_CACHE : APP_CDS;
        }

        List<String> train(Path output) {
            List<String> options = this == APP_CDS ? List.of("-XX:ArchiveClassesAtExit=" + output)
                    : List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + output);
            return Stream.concat(options.stream(), Stream.of("-Xlog:" + quiet + ":stderr")).toList();
        }

        /** What makes the archive from the trained file: nothing for AppCDS, the AOT cache's assembly. */
        List<String> assemble(Path trained, Path archive) {
            return this == APP_CDS ? List.of()
                    : List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + trained, "-XX:AOTCache=" + archive, "-Xlog:" + quiet + ":stderr");
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
    synchronized List<String> options(List<String> command, Path storage) {
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
        if (checked.contains(key)) {
            return List.of(); // being assembled
        }
        if (trainers.values().stream().noneMatch(t -> t.key().equals(key)) && trainers.putIfAbsent(storage, new Training(key, List.copyOf(command))) == null) {
            return kind.train(training(storage));
        }
        return List.of();
    }

    /** A renderer is gone (its folder not yet deleted): if it was training, its archive moves here and is checked. */
    synchronized void collect(Path storage) {
        Training training = trainers.remove(storage);
        if (training == null) {
            return;
        }
        String key = training.key();
        Path trained = training(storage);
        try {
            if (Files.isRegularFile(trained) && Files.size(trained) > 0) {
                Files.createDirectories(dir);
                Path kept = kind == Kind.APP_CDS ? archive(key) : dir.resolve("renderer-" + key + kind.trainedSuffix);
                Files.move(trained, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                checked.add(key);
                background.execute(() -> adopt(key, kept, training.command()));
                return;
            }
        } catch (IOException e) {
            log.warn("cannot keep the renderers' class-data archive {}: {}", trained, e.toString());
        }
        if (failedTrainings.merge(key, 1, Integer::sum) >= MAX_TRAININGS) {
            refused.add(key);
            log.warn("{} renderers exited without writing a class-data archive ({}); renderers start without one until main restarts",
                    MAX_TRAININGS, kind.train(Path.of("…")));
        }
    }

    /** Makes the archive from what a renderer trained (moved to {@code trained}; for AppCDS that is the archive), then checks it. */
    private void adopt(String key, Path trained, List<String> command) {
        Path archive = archive(key);
        try {
            List<String> assemble = kind.assemble(trained, archive);
            if (!assemble.isEmpty()) {
                String problem = run(jvm(command, assemble, List.of()));
                Files.deleteIfExists(trained);
                if (problem != null) {
                    refuse(key, archive, "assembling it failed: " + problem);
                    return;
                }
            }
        } catch (IOException e) {
            refuse(key, archive, e.toString());
            return;
        }
        check(key, archive, command);
    }

    /** Runs {@code java OPTIONS -cp CLASSPATH -version} required to use the archive: exit 0 means renderers can use it. */
    private void check(String key, Path archive, List<String> command) {
        List<String> required = new ArrayList<>(kind.require);
        required.add(kind.use + archive);
        String problem = run(jvm(command, required, List.of("-version")));
        if (problem == null) {
            log.info("renderers start from the class-data archive {}", archive);
        } else {
            refuse(key, archive, problem);
        }
    }

    private void refuse(String key, Path archive, String problem) {
        refused.add(key);
        log.warn("the renderers' class-data archive {} cannot be used by this JVM ({}); deleted, renderers start without it",
                archive, problem);
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", archive, e.toString());
        }
    }

    /** The renderer's java and options (less the per-renderer ones) with {@code options} first, its class path, then {@code args}. */
    private List<String> jvm(List<String> command, List<String> options, List<String> args) {
        List<String> cmd = new ArrayList<>(command.subList(0, command.size() - 1));
        cmd.removeIf(arg -> perRenderer.stream().anyMatch(arg::startsWith));
        cmd.addAll(1, options);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs a JVM at main's side, output to a file (a hung JVM must not block the reader); null if it exited 0, else its output. */
    private String run(List<String> cmd) {
        Path output = null;
        try {
            Files.createDirectories(dir);
            output = Files.createTempFile(dir, ".jvm-", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            if (!p.waitFor(CHECK_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return "no answer within " + CHECK_TIMEOUT_S + " s";
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).strip().replace('\n', ' ');
            return p.exitValue() == 0 ? null : text.length() > 500 ? text.substring(0, 500) + "…" : text;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a leftover file in main's data folder; the next run's check writes another
                }
            }
        }
    }

    private Path archive(String key) {
        return dir.resolve("renderer-" + key + (kind == Kind.APP_CDS ? ".jsa" : ".aot"));
    }

    private Path training(Path storage) {
        return storage.resolve("class-data" + kind.trainedSuffix);
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
