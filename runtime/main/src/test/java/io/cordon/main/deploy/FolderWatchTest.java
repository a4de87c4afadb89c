package io.cordon.main.deploy;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** A dropped file wakes the scan; a scan that runs on after the watch was closed (main stopping) is quiet. */
public class FolderWatchTest {

    @Test
    public void aNewFileWakesTheScanAndAClosedWatchIgnoresFolders() throws Exception {
        Path folder = Files.createTempDirectory("cordon-watch");
        CountDownLatch changed = new CountDownLatch(1);
        FolderWatch watch = new FolderWatch(changed::countDown, "test-watch");
        try {
            watch.watch(Set.of(folder));
            Files.writeString(folder.resolve("a.jar"), "x");
            assertTrue(changed.await(10, TimeUnit.SECONDS));
        } finally {
            watch.close();
        }
        try {
            watch.watch(Set.of()); // a scan that runs on while main stops: nothing to cancel, no exception
            watch.watch(Set.of(folder));
        } finally {
            Files.deleteIfExists(folder.resolve("a.jar"));
            Files.delete(folder);
        }
    }
}
