package io.cordon.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the launcher module put the distribution under test, and scratch folders beside the build. */
final class Dist {

    static final String PROPERTY = "cordon.dist";
    static final String WORK = "cordon.itests.work";

    private Dist() {
    }

    /** The distribution folder; fails with what to do when it was not built. */
    static Path home() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY
                    + " is not set: run the tests through Maven (./mvnw verify), which points it at launcher/target/cordon");
        }
        Path home = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(home.resolve("bundle")) || !Files.isRegularFile(home.resolve("bin/cordon"))) {
            throw new IllegalStateException("no Cordon distribution at " + home
                    + " (bundle/ or bin/cordon missing): build it first with ./mvnw -B package -DskipTests from the root");
        }
        return home;
    }

    /** A new folder under the build's scratch area (system property {@value #WORK}), so {@code mvn clean} removes it. */
    static Path tempDir(String prefix) {
        try {
            Path work = Path.of(System.getProperty(WORK, System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(Files.createDirectories(work), prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the distribution's {@code deploy/} (the sample application) at {@code target}. */
    static Path copyDeploy(Path target) {
        return copyDeploy(home().resolve("deploy"), target);
    }

    /** A copy of a deploy folder, subfolders and all, at {@code target}. */
    static Path copyDeploy(Path source, Path target) {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
