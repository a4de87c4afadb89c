package io.cordon.main.host;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What the last extraction of the renderer runtime left in its folder, and from which jar: the jar's path, size
 * and modification time, then each file's path and size. It is current while both still hold. A bundle that is
 * not a local jar (installed from a stream, say), or whose jar changed after it was installed (a rebuild under a
 * running main: the bundle is the jar as it was), never has a current stamp, so its runtime is always re-read.
 */
final class ExtractionStamp {

    static final String FILE = ".extracted";

    private final Path file;
    private final Path source;

    /** {@code location}, {@code installedAt}: io.cordon.main's bundle location and last modification (ms). */
    ExtractionStamp(Path dir, String location, long installedAt) {
        this.file = dir.resolve(FILE);
        Path jar = localJar(location);
        this.source = jar != null && unchangedSince(jar, installedAt) ? jar : null;
    }

    private static boolean unchangedSince(Path jar, long time) {
        try {
            return Files.getLastModifiedTime(jar).toMillis() <= time;
        } catch (IOException e) {
            return false;
        }
    }

    /** The jar a {@code file:} or {@code reference:file:} location names, else null. */
    static Path localJar(String location) {
        String url = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        try {
            return url.startsWith("file:") ? Path.of(URI.create(url)) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code files} are what the last extraction wrote, from the jar as it is now. */
    boolean current(List<Path> files) {
        try {
            return source != null && Files.isRegularFile(file)
                    && Files.readString(file, StandardCharsets.UTF_8).equals(describe(files));
        } catch (IOException e) {
            return false; // a file gone, say: extract again
        }
    }

    /** Records {@code files}, just extracted; nothing without a local jar (and whatever was there goes). */
    void write(List<Path> files) throws IOException {
        Files.deleteIfExists(file);
        if (source == null) {
            return;
        }
        Path temporary = Files.createTempFile(file.getParent(), ".extracted-", ".tmp");
        Files.writeString(temporary, describe(files), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String describe(List<Path> files) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(source).append(' ').append(Files.size(source)).append(' ').append(Files.getLastModifiedTime(source).toMillis()).append('\n');
        for (Path f : files) {
            text.append(f).append(' ').append(Files.size(f)).append('\n');
        }
        return text.toString();
    }
}
