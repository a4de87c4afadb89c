package io.cordon.main.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.cordon.api.SandboxLevel;

/**
 * Finds which sandbox this machine offers by running each recipe for real, bubblewrap first, on a
 * tiny shell command that checks the promises: it can write its storage, cannot write the folder
 * around it, sees no network interface but {@code lo}, and (for unshare) runs under the pid main
 * started. A tool on PATH is not enough: user namespaces may be disabled, restricted by AppArmor, or
 * the mounts may refuse to become read-only.
 */
final class SandboxProbe {

    /** What this machine offers: the best level, the tool that gives it, and what was found on the way. */
    record Availability(SandboxLevel level, String tool, String report) {
        boolean isolated() {
            return SandboxRecipe.isolated(level);
        }
    }

    private static final int MAX_OUTPUT = 2_000;
    private static final String CHECKS = String.join("\n",
            "echo \"pid $$\"",
            "( : > \"$1/probe\" ) || { echo 'cannot write its own storage'; exit 10; }",
            "if ( : > \"$2/outside\" ) 2>/dev/null; then echo 'could write outside its storage'; exit 11; fi",
            "n=$(grep -c : /proc/net/dev)",
            "[ \"$n\" -le 1 ] || { echo \"sees $n network interfaces\"; exit 12; }");

    private SandboxProbe() {
    }

    /** Probes in a fresh folder under {@code work} (deleted afterwards); never throws. */
    static Availability detect(Path work, String path, Duration timeout) {
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new Availability(SandboxLevel.NONE, null, "no OS sandbox on " + os + " (Linux only)");
        }
        List<String> notes = new ArrayList<>();
        for (SandboxLevel level : List.of(SandboxLevel.NS_BWRAP, SandboxLevel.NS_UNSHARE)) {
            String name = level == SandboxLevel.NS_BWRAP ? "bwrap" : "unshare";
            Optional<Path> tool = onPath(name, path);
            if (tool.isEmpty()) {
                notes.add(name + " is not on PATH");
                continue;
            }
            String failure = run(level, tool.get().toString(), work, timeout);
            if (failure == null) {
                notes.add(name + " works (" + tool.get() + ")");
                return new Availability(level, tool.get().toString(), String.join("; ", notes));
            }
            notes.add(tool.get() + " failed: " + failure);
        }
        return new Availability(SandboxLevel.NONE, null, String.join("; ", notes));
    }

    /** Runs the probe command in the sandbox at {@code level}; null when every check passed, else why not. */
    private static String run(SandboxLevel level, String tool, Path work, Duration timeout) {
        Path dir = null;
        Process process = null;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(work), "probe-");
            Path storage = Files.createDirectory(dir.resolve("storage"));
            Path output = dir.resolve("output.txt");
            List<String> command = SandboxRecipe.wrap(level, tool, storage,
                    List.of("/bin/sh", "-c", CHECKS, "cordon-sandbox-probe", storage.toString(), dir.toString()));
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return "no answer within " + timeout.toSeconds() + " s";
            }
            String text = read(output);
            if (process.exitValue() != 0) {
                return "exit code " + process.exitValue() + (text.isEmpty() ? "" : ": " + text);
            }
            if (level == SandboxLevel.NS_UNSHARE && !text.contains("pid " + process.pid())) {
                return "the sandboxed program did not keep the pid main started (" + text + ")";
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            if (dir != null) {
                deleteQuietly(dir);
            }
        }
    }

    /** The executable {@code name} in the first PATH entry that has it. */
    static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path candidate = Path.of(entry, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
            return text.strip().replaceAll("\\s*\n\\s*", " | ");
        }
    }

    /** The probe writes nothing but these (a sandbox that let it write "outside" was reported above). */
    private static void deleteQuietly(Path dir) {
        try {
            for (String file : List.of("storage/probe", "storage", "outside", "output.txt", "")) {
                Files.deleteIfExists(dir.resolve(file));
            }
        } catch (IOException e) {
            // left for the renderers folder's clean-up at the next start
        }
    }
}
