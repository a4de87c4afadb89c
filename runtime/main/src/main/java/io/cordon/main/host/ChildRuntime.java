package io.cordon.main.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;

import io.cordon.common.channel.Messages.BundleMessage;

/**
 * What every renderer JVM runs besides its type's bundles, embedded in this bundle so main needs no
 * files of its own on disk, extracted to {@code dir}: the class path (Felix, io.cordon.common, the
 * bootstrap) and the infrastructure bundles (SCR, Gogo runtime, Jackson, RSA, the renderer runtime),
 * which each renderer installs at start level 1 by reference from there (a sandboxed renderer can read
 * them, not change them), so no spawn sends or copies their bytes. A file is only rewritten when its
 * content changed: the class-data archive of the class path stays valid across restarts of main. While
 * io.cordon.main's jar and the extracted files are as the last extraction left them ({@link ExtractionStamp}),
 * nothing is read again: main's start-up skips inflating some 4 MiB.
 */
final class ChildRuntime {

    static final String BOOT_CLASS = "io.cordon.renderer.boot.RendererBoot";
    private static final String CLASSPATH = "renderer/classpath";
    private static final String BUNDLES = "renderer/bundles";

    private final List<Path> classPath;
    private final List<BundleMessage> bundles;

    ChildRuntime(Bundle self, Path dir) {
        try {
            Files.createDirectories(dir);
            Path bundleDir = Files.createDirectories(dir.resolve("bundles"));
            List<URL> classPathEntries = entries(self, CLASSPATH);
            List<URL> bundleEntries = entries(self, BUNDLES);
            this.classPath = targets(classPathEntries, dir);
            List<Path> bundleFiles = targets(bundleEntries, bundleDir);
            List<URL> sources = concat(classPathEntries, bundleEntries);
            List<Path> targets = concat(classPath, bundleFiles);
            ExtractionStamp stamp = new ExtractionStamp(dir, self.getLocation(), self.getLastModified());
            if (!stamp.current(targets)) {
                for (int i = 0; i < sources.size(); i++) {
                    extract(sources.get(i), targets.get(i));
                }
                stamp.write(targets);
            }
            this.bundles = bundleFiles.stream().map(f -> BundleMessage.byReference(f.toUri().toString(), 1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the renderer runtime in " + dir, e);
        }
        if (classPath.isEmpty() || bundles.isEmpty()) {
            throw new IllegalStateException("io.cordon.main was built without its embedded renderer runtime (" + CLASSPATH + ", " + BUNDLES + ")");
        }
    }

    List<Path> classPath() {
        return classPath;
    }

    List<BundleMessage> bundles() {
        return bundles;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private static List<Path> targets(List<URL> entries, Path dir) {
        return entries.stream().map(entry -> dir.resolve(fileName(entry))).toList();
    }

    /** Writes the entry to {@code target} unless the file there already has its content. */
    private static void extract(URL entry, Path target) throws IOException {
        byte[] bytes;
        try (InputStream in = entry.openStream()) {
            bytes = in.readAllBytes();
        }
        if (!Files.isRegularFile(target) || Files.size(target) != bytes.length || !Arrays.equals(Files.readAllBytes(target), bytes)) {
            Path temporary = Files.createTempFile(target.getParent(), ".extract-", ".jar");
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static List<URL> entries(Bundle self, String folder) {
        Enumeration<URL> found = self.findEntries(folder, "*.jar", false);
        List<URL> urls = found == null ? new ArrayList<>() : Collections.list(found);
        urls.sort((a, b) -> a.getPath().compareTo(b.getPath()));
        return urls;
    }

    private static String fileName(URL entry) {
        String path = entry.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
