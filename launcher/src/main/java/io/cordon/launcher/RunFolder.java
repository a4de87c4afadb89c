package io.cordon.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * This run's temporary folder, {@code DATA/tmp}: emptied at start (a killed run's leftovers) and
 * removed at exit. It becomes {@code java.io.tmpdir}, and FileInstall's and JLine's temporary
 * folder, so that a run leaves nothing in the system's temporary folder.
 */
final class RunFolder {

    /** FileInstall's own setting; it would otherwise read java.io.tmpdir. */
    static final String FILEINSTALL_TMPDIR = "felix.fileinstall.tmpdir";

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    static RunFolder create(Path data) throws IOException {
        Path dir = data.resolve("tmp").toAbsolutePath();
        delete(dir);
        Files.createDirectories(dir);
        System.setProperty("java.io.tmpdir", dir.toString());
        System.setProperty("jline.tmpdir", dir.toString()); // where JLine unpacks its native library
        return new RunFolder(dir);
    }

    Path path() {
        return dir;
    }

    /** Removes the folder; quietly, since it runs while the JVM exits. */
    void delete() {
        try {
            delete(dir);
        } catch (IOException e) {
            System.err.println("cordon: could not remove " + dir + ": " + e);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
