package io.cordon.main.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BrokenJarScanTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path dir;
    private BrokenJarScan scan;

    @Before
    public void setUp() {
        dir = folder.getRoot().toPath();
        scan = new BrokenJarScan(dir);
    }

    @Test
    public void brokenJarIsReportedOnceItStopsChanging() throws IOException {
        Path broken = write("broken.jar", "garbage");
        assertEquals("first sight: may still be copying", Map.of(), scan.scan());
        assertEquals(Set.of(broken), scan.scan().keySet());
        assertEquals("reported once", Map.of(), scan.scan());
    }

    @Test
    public void aJarNotYetCheckedAsItIsNowIsSettling() throws IOException {
        write("broken.jar", "garbage");
        assertFalse("nothing seen yet", scan.settling());
        scan.scan();
        assertTrue("seen once: a later scan must check it", scan.settling());
        scan.scan();
        assertFalse("checked", scan.settling());
    }

    @Test
    public void newVersionOfABrokenJarIsReportedAgain() throws IOException {
        Path broken = write("broken.jar", "garbage");
        scan.scan();
        scan.scan();
        write("broken.jar", "other garbage");
        Files.setLastModifiedTime(broken, FileTime.fromMillis(Files.getLastModifiedTime(broken).toMillis() + 5000));
        scan.scan();
        assertEquals(Set.of(broken), scan.scan().keySet());
    }

    @Test
    public void otherFilesAreIgnored() throws IOException {
        write("foo.pid.cfg", "a=b");
        write("notes.txt", "not a jar either");
        scan.scan();
        assertEquals(Map.of(), scan.scan());
    }

    @Test
    public void missingFolderIsNotAnError() throws IOException {
        assertEquals(Map.of(), new BrokenJarScan(dir.resolve("absent")).scan());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
