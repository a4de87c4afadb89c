package io.cordon.main.deploy;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** A dropped file wakes the scan; a missing folder is not covered (the scan polls for it); a scan that runs on after the watch was closed (main stopping) is quiet. */
public class FolderWatchTest {

    @Test
    public void aNewFileWakesTheScanAndAClosedWatchIgnoresFolders() throws Exception {
        Path folder = Files.createTempDirectory("cordon-watch");
        CountDownLatch changed = new CountDownLatch(1);
        FolderWatch watch = new FolderWatch(changed::countDown, "test-watch");
        try {
            assertFalse("not watched yet", watch.covers(Set.of(folder)));
            watch.watch(Set.of(folder, folder.resolve("absent")));
            assertTrue(watch.covers(Set.of(folder)));
            assertFalse("a missing folder is not watched: the scan must poll", watch.covers(Set.of(folder, folder.resolve("absent"))));
            Files.writeString(folder.resolve("a.jar"), "x");
            assertTrue(changed.await(10, TimeUnit.SECONDS));
        } finally {
            watch.close();
        }
        try {
            watch.watch(Set.of()); // a scan that runs on while main stops: nothing to cancel, no exception
            watch.watch(Set.of(folder));
            assertFalse("closed", watch.covers(Set.of(folder)));
        } finally {
            Files.deleteIfExists(folder.resolve("a.jar"));
            Files.delete(folder);
        }
    }
}
