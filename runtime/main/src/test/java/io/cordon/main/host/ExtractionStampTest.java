package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ExtractionStampTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path jar;
    private Path dir;
    private List<Path> files;

    @Before
    public void extracted() throws Exception {
        jar = Files.write(folder.getRoot().toPath().resolve("io.cordon.main.jar"), new byte[100]);
        dir = folder.newFolder("renderer-runtime").toPath();
        files = List.of(Files.write(dir.resolve("a.jar"), new byte[10]), Files.write(dir.resolve("b.jar"), new byte[20]));
    }

    @Test
    public void aLocalJarsLocationNamesIt() {
        assertEquals(jar, ExtractionStamp.localJar("reference:" + jar.toUri()));
        assertEquals(jar, ExtractionStamp.localJar(jar.toUri().toString()));
        assertNull(ExtractionStamp.localJar("mvn:io.cordon/io.cordon.main/0.1.0"));
        assertNull(ExtractionStamp.localJar("file:not a uri"));
    }

    @Test
    public void currentOnlyOnceWrittenAndWhileNothingChanged() throws Exception {
        ExtractionStamp stamp = new ExtractionStamp(dir, "reference:" + jar.toUri(), installed());
        assertFalse(stamp.current(files));
        stamp.write(files);
        assertTrue(stamp.current(files));
        assertTrue("a new run of main reads the same stamp", new ExtractionStamp(dir, "reference:" + jar.toUri(), installed()).current(files));
    }

    @Test
    public void aChangedFileOrJarIsNotCurrent() throws Exception {
        ExtractionStamp stamp = new ExtractionStamp(dir, jar.toUri().toString(), installed());
        stamp.write(files);
        Files.write(files.get(1), new byte[21]);
        assertFalse("a file of another size", stamp.current(files));
        stamp.write(files);
        Files.delete(files.get(0));
        assertFalse("a file gone", stamp.current(files));
        Files.write(files.get(0), new byte[10]);
        stamp.write(files);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertFalse("io.cordon.main rebuilt", stamp.current(files));
    }

    @Test
    public void aJarChangedSinceTheBundleWasInstalledIsNeverCurrent() throws Exception {
        long installed = installed();
        new ExtractionStamp(dir, jar.toUri().toString(), installed).write(files);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(installed + 60_000)); // rebuilt under a running main
        ExtractionStamp stamp = new ExtractionStamp(dir, jar.toUri().toString(), installed);
        assertFalse(stamp.current(files));
        stamp.write(files);
        assertFalse("not current at the next start either", new ExtractionStamp(dir, jar.toUri().toString(), installed).current(files));
        assertFalse("no stamp is kept for it", Files.exists(dir.resolve(ExtractionStamp.FILE)));
    }

    /** The bundle's install time: after the jar was written. */
    private long installed() throws Exception {
        return Files.getLastModifiedTime(jar).toMillis() + 1_000;
    }

    @Test
    public void aBundleThatIsNoLocalJarIsNeverCurrent() throws Exception {
        new ExtractionStamp(dir, jar.toUri().toString(), installed()).write(files);
        ExtractionStamp stamp = new ExtractionStamp(dir, "mvn:io.cordon/io.cordon.main/0.1.0", installed());
        assertFalse(stamp.current(files));
        stamp.write(files);
        assertFalse("the stale stamp is gone", Files.exists(dir.resolve(ExtractionStamp.FILE)));
    }
}
