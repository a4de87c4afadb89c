package io.cordon.main.host;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.cordon.api.RendererType;
import io.cordon.common.channel.Messages.BundleMessage;

/** Reads a renderer type's preload and renderer bundles from their locations, in start order. */
final class TypeBundles {

    static final int PRELOAD_LEVEL = 2;
    static final int RENDERER_LEVEL = 3;

    private TypeBundles() {
    }

    static List<BundleMessage> read(RendererType type, Path home) throws IOException {
        List<BundleMessage> out = new ArrayList<>();
        for (String location : type.preload()) {
            read(location, home, PRELOAD_LEVEL, out);
        }
        for (String location : type.bundles()) {
            read(location, home, RENDERER_LEVEL, out);
        }
        return out;
    }

    private static void read(String location, Path home, int level, List<BundleMessage> out) throws IOException {
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !location.startsWith("file:")) {
            try (InputStream in = URI.create(location).toURL().openStream()) {
                out.add(new BundleMessage(location, level, in.readAllBytes()));
            }
            return;
        }
        Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : home.resolve(location);
        if (Files.isDirectory(path)) {
            try (Stream<Path> jars = Files.list(path)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    out.add(new BundleMessage(jar.toUri().toString(), level, Files.readAllBytes(jar)));
                }
            }
        } else if (Files.isRegularFile(path)) {
            out.add(new BundleMessage(path.toUri().toString(), level, Files.readAllBytes(path)));
        } else {
            throw new IOException("bundle location " + location + " (" + path + ") does not exist");
        }
    }
}
