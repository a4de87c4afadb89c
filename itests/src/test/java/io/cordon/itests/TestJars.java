package io.cordon.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.cordon.itests.greeter.GreeterActivator;

/**
 * Writes the files the hot-deploy tests drop into the deploy folder. Every file is written beside the
 * folder and then moved in atomically, so FileInstall never sees a half-written jar.
 */
final class TestJars {

    static final String GREETER = "io.cordon.itests.greeter";

    private TestJars() {
    }

    /** A bundle whose activator registers a Supplier returning {@code greeting}. */
    static void greeter(Path target, String version, String greeting) throws IOException {
        activatorBundle(target, GREETER, version, GreeterActivator.class, GreeterActivator.HEADER, greeting);
    }

    /** A bundle of one class, its activator, with extra manifest headers given as name, value pairs. */
    static void activatorBundle(Path target, String symbolicName, String version, Class<?> activator, String... headers)
            throws IOException {
        String[] all = new String[headers.length + 4];
        all[0] = "Bundle-Activator";
        all[1] = activator.getName();
        all[2] = "Import-Package";
        all[3] = "org.osgi.framework";
        System.arraycopy(headers, 0, all, 4, headers.length);
        bundle(target, symbolicName, version, List.of(activator), all);
    }

    /** A bundle of the given classes with manifest headers given as name, value pairs (later ones win). */
    static void bundle(Path target, String symbolicName, String version, List<Class<?>> classes, String... headers)
            throws IOException {
        bundle(target, symbolicName, version, classes, Map.of(), headers);
    }

    /** A bundle of one DS component, described by {@code componentXml} (no annotations processed here), and its classes. */
    static void component(Path target, String symbolicName, String componentXml, List<Class<?>> classes) throws IOException {
        bundle(target, symbolicName, "1.0.0", classes, Map.of("OSGI-INF/component.xml", componentXml),
                "Service-Component", "OSGI-INF/component.xml");
    }

    private static void bundle(Path target, String symbolicName, String version, List<Class<?>> classes,
                               Map<String, String> resources, String... headers) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            main.putValue(headers[i], headers[i + 1]);
        }
        writeAtomically(target, out -> {
            try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
                for (Class<?> c : classes) {
                    String entry = c.getName().replace('.', '/') + ".class";
                    try (InputStream classBytes = c.getResourceAsStream("/" + entry)) {
                        jar.putNextEntry(new JarEntry(entry));
                        classBytes.transferTo(jar);
                    }
                }
                for (Map.Entry<String, String> resource : resources.entrySet()) {
                    jar.putNextEntry(new JarEntry(resource.getKey()));
                    jar.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        });
    }

    /** A bundle of no code carrying {@code bytes} random (incompressible, stored) bytes: a large jar to hot-deploy. */
    static void padded(Path target, String symbolicName, int bytes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        byte[] padding = new byte[bytes];
        new java.util.Random(42).nextBytes(padding);
        writeAtomically(target, out -> {
            try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
                jar.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
                jar.putNextEntry(new JarEntry("padding.bin"));
                jar.write(padding);
            }
        });
    }

    /** Bytes that are not a zip at all. */
    static void garbage(Path target) throws IOException {
        writeAtomically(target, out -> out.write("this is not a jar\n".repeat(20).getBytes()));
    }

    /** A valid zip without META-INF/MANIFEST.MF. */
    static void zipWithoutManifest(Path target) throws IOException {
        writeAtomically(target, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.putNextEntry(new ZipEntry("readme.txt"));
                zip.write("no manifest here\n".getBytes());
            }
        });
    }

    /** What maven-jar-plugin packs when it is not given bnd's manifest: bnd's OSGI-INF/ under a plain manifest. */
    static void jarWithoutBndManifest(Path target) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", "Maven JAR Plugin 3.4.2");
        writeAtomically(target, out -> {
            try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
                jar.putNextEntry(new JarEntry("OSGI-INF/com.example.Component.xml"));
                jar.write("<component/>\n".getBytes());
            }
        });
    }

    static void text(Path target, String content) throws IOException {
        writeAtomically(target, out -> out.write(content.getBytes()));
    }

    private static void writeAtomically(Path target, Content content) throws IOException {
        Path staging = Files.createDirectories(target.getParent().resolveSibling("staging"));
        Path temp = Files.createTempFile(staging, "part-", ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            content.writeTo(out);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
