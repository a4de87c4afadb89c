package io.cordon.main.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.cordon.api.RendererType;

/** A type's bundle set, scan after scan: what is current, what is refused and reported once. */
public class TypeBundlesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path home;
    private Path folder;

    @Before
    public void folders() throws IOException {
        home = tmp.getRoot().toPath();
        folder = Files.createDirectories(home.resolve("renderers/demo"));
    }

    @Test
    public void jarsOfAFolderAreCurrentInNameOrderAtTheirLevel() throws IOException {
        bundle(folder.resolve("b.jar"), "b", "1");
        bundle(folder.resolve("a.jar"), "a", "1");
        Files.writeString(folder.resolve("notes.txt"), "not a jar");
        TypeBundles bundles = bundles(List.of("renderers/demo"), 0);
        assertTrue(bundles.scan(false).errors().isEmpty());
        assertEquals(List.of(uri("a.jar"), uri("b.jar")), List.copyOf(bundles.current().keySet()));
        assertTrue(bundles.current().values().stream().allMatch(j -> j.startLevel() == TypeBundles.RENDERER_LEVEL));
        assertEquals(List.of(folder), bundles.folders());
    }

    @Test
    public void aReplacedJarGetsANewVersionAndADeletedOneIsGone() throws IOException {
        Path jar = folder.resolve("a.jar");
        bundle(jar, "a", "1");
        TypeBundles bundles = bundles(List.of(folder.toString()), 0);
        bundles.scan(false);
        String first = bundles.current().get(uri("a.jar")).version();
        bundles.scan(false);
        assertEquals("unchanged file, same version", first, bundles.current().get(uri("a.jar")).version());

        bundle(jar, "a", "2");
        bundles.scan(false);
        assertNotEquals(first, bundles.current().get(uri("a.jar")).version());

        Files.delete(jar);
        bundles.scan(false);
        assertTrue(bundles.current().isEmpty());
    }

    @Test
    public void aBrokenJarIsRefusedOnceAndThePreviousVersionStays() throws IOException {
        Path jar = folder.resolve("a.jar");
        bundle(jar, "a", "1");
        TypeBundles bundles = bundles(List.of(folder.toString()), 0);
        bundles.scan(false);
        String good = bundles.current().get(uri("a.jar")).version();

        Files.writeString(jar, "garbage");
        TypeBundles.Problems problems = bundles.scan(false);
        assertEquals(1, problems.errors().size());
        assertTrue(problems.errors().get(0), problems.errors().get(0).contains("a.jar is not a valid bundle: not a zip/jar file"));
        assertEquals("the last good version stays current", good, bundles.current().get(uri("a.jar")).version());
        assertTrue("reported once", bundles.scan(false).errors().isEmpty());
    }

    @Test
    public void aBrokenJarStillChangingIsNotReportedYet() throws IOException {
        Files.writeString(folder.resolve("a.jar"), "half a jar");
        TypeBundles bundles = bundles(List.of(folder.toString()), 60_000);
        assertTrue(bundles.scan(false).errors().isEmpty());
        assertTrue(bundles.current().isEmpty());
    }

    @Test
    public void aFileThatChangedWithinThePollIntervalIsSettlingAndAJarFileLocationIsWatchedThroughItsFolder() throws IOException {
        bundle(folder.resolve("a.jar"), "a", "1");
        TypeBundles fresh = bundles(List.of("renderers/demo", "lib/one.jar"), 60_000);
        fresh.scan(false);
        assertTrue("just seen: a later scan must look again", fresh.settling());
        TypeBundles settled = bundles(List.of("renderers/demo"), 0);
        settled.scan(false);
        assertFalse(settled.settling());
        assertEquals(List.of(folder, home.resolve("lib")), fresh.folders());
    }

    @Test
    public void aMissingFolderIsEmptyWithAWarningButAMissingJarFailsASpawn() throws IOException {
        TypeBundles bundles = bundles(List.of("renderers/nothing"), 0);
        TypeBundles.Problems problems = bundles.scan(true);
        assertTrue(problems.warnings().get(0), problems.warnings().get(0).contains("does not exist"));
        assertTrue(bundles.current().isEmpty());

        TypeBundles missingJar = bundles(List.of("lib/missing.jar"), 0);
        assertThrows(IOException.class, () -> missingJar.scan(true));
        assertEquals(1, missingJar.scan(false).warnings().size());
    }

    @Test
    public void aMissingPreloadFolderIsNamedWithItsConsequenceAndFix() throws IOException {
        RendererType type = new RendererType("demo", 1, List.of("renderer/app-preload"), List.of("renderers/demo"), 64, List.of(),
                RendererType.RestartPolicy.NEVER, 1, 1, RendererType.SandboxPolicy.OFF, List.of(), List.of(), false, RendererType.BundleUpdatePolicy.UPDATE,
                RendererType.Budget.DEFAULT, RendererType.Resources.DEFAULT, RendererType.Transport.SHM);
        String warning = new TypeBundles(type, home, 0).scan(true).warnings().get(0);
        assertTrue(warning, warning.startsWith("preload folder renderer/app-preload (" + home.resolve("renderer/app-preload")
                + ") does not exist, so its renderers start without preload bundles"));
        assertTrue(warning, warning.contains("fix preload= in the type's .cfg (a relative location is resolved against " + home + ")"));
    }

    @Test
    public void preloadComesFirstAtItsLevel() throws IOException {
        Path preload = Files.createDirectories(home.resolve("preload"));
        bundle(preload.resolve("z.jar"), "z", "1");
        bundle(folder.resolve("a.jar"), "a", "1");
        RendererType type = new RendererType("demo", 1, List.of("preload"), List.of("renderers/demo"), 64, List.of(),
                RendererType.RestartPolicy.NEVER, 1, 1, RendererType.SandboxPolicy.OFF, List.of(), List.of(), false,
                RendererType.BundleUpdatePolicy.UPDATE, RendererType.Budget.DEFAULT, RendererType.Resources.DEFAULT, RendererType.Transport.SHM);
        TypeBundles bundles = new TypeBundles(type, home, 0);
        bundles.scan(true);
        List<TypeBundles.Jar> jars = List.copyOf(bundles.current().values());
        assertEquals(TypeBundles.PRELOAD_LEVEL, jars.get(0).startLevel());
        assertEquals(TypeBundles.RENDERER_LEVEL, jars.get(1).startLevel());
        assertTrue(bundles.sameLocations(type));
    }

    private TypeBundles bundles(List<String> locations, long settleMs) {
        RendererType type = new RendererType("demo", 1, List.of(), locations, 64, List.of(), RendererType.RestartPolicy.NEVER,
                1, 1, RendererType.SandboxPolicy.OFF, List.of(), List.of(), false, RendererType.BundleUpdatePolicy.UPDATE, RendererType.Budget.DEFAULT, RendererType.Resources.DEFAULT, RendererType.Transport.SHM);
        return new TypeBundles(type, home, settleMs);
    }

    private String uri(String name) {
        return folder.resolve(name).toUri().toString();
    }

    /** A bundle jar; each write gets a later modification time, as a real replacement would. */
    private static void bundle(Path file, String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        manifest.getMainAttributes().putValue("Bundle-Version", version);
        FileTime previous = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        if (previous != null) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(previous.toMillis() + 1000));
        }
    }
}
