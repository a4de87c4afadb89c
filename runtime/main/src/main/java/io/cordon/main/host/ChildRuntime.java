package io.cordon.main.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;

import io.cordon.common.channel.Messages.BundleMessage;

/**
 * What every renderer JVM runs besides its type's bundles, embedded in this bundle so main needs no
 * files of its own on disk: the class path (Felix, io.cordon.common, the bootstrap) extracted once to
 * {@code dir}, and the infrastructure bundles (SCR, Gogo runtime, the renderer runtime) sent over the
 * channel at start level 1.
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
            List<Path> jars = new ArrayList<>();
            for (URL entry : entries(self, CLASSPATH)) {
                Path target = dir.resolve(fileName(entry));
                try (InputStream in = entry.openStream()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                jars.add(target);
            }
            this.classPath = List.copyOf(jars);
            List<BundleMessage> infra = new ArrayList<>();
            for (URL entry : entries(self, BUNDLES)) {
                try (InputStream in = entry.openStream()) {
                    infra.add(new BundleMessage("cordon:" + fileName(entry), 1, in.readAllBytes()));
                }
            }
            this.bundles = List.copyOf(infra);
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
