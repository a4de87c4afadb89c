package io.cordon.main.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class JarCheckTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void bundleHasNoProblem() throws IOException {
        assertEquals(Optional.empty(), JarCheck.problem(jar("ok.jar", "Bundle-SymbolicName", "ok")));
    }

    @Test
    public void garbageIsNotAZip() throws IOException {
        Path file = folder.getRoot().toPath().resolve("broken.jar");
        Files.write(file, "this is not a jar".getBytes());
        assertTrue(JarCheck.problem(file).orElseThrow().startsWith("not a zip/jar file"));
    }

    @Test
    public void zipWithoutManifest() throws IOException {
        Path file = folder.getRoot().toPath().resolve("plain.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("hello.txt"));
            zip.write("hello".getBytes());
        }
        assertEquals(Optional.of("no META-INF/MANIFEST.MF; " + JarCheck.NOT_A_BUNDLE), JarCheck.problem(file));
    }

    @Test
    public void plainJarIsNotABundle() throws IOException {
        assertEquals(Optional.of("its manifest has no OSGi headers (no Bundle-SymbolicName); " + JarCheck.NOT_A_BUNDLE),
                JarCheck.problem(jar("lib.jar", "Implementation-Title", "lib")));
    }

    @Test
    public void mavenJarWithoutBndsManifestNamesTheJarPluginFix() throws IOException {
        String problem = JarCheck.problem(jar("app.jar", "Created-By", "Maven JAR Plugin 3.4.2")).orElseThrow();
        assertTrue(problem, problem.endsWith(JarCheck.JAR_PLUGIN_FIX));
        assertTrue(problem, problem.contains("<manifestFile>${project.build.outputDirectory}/META-INF/MANIFEST.MF</manifestFile>"));
    }

    private Path jar(String name, String header, String value) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(header, value);
        Path file = folder.getRoot().toPath().resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return file;
    }
}
