package io.cordon.common.channel.shm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.After;
import org.junit.Test;

/** Main's doorbell over a Unix socket: never blocks, however the renderer behaves, and only one can connect. */
public class SocketBellTest {

    private final Path dir = createDir();
    private final Path path = dir.resolve("bell.sock");

    private static Path createDir() {
        try {
            return Files.createTempDirectory("cordon-bell");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @After
    public void removeDir() throws IOException {
        Files.deleteIfExists(path);
        Files.delete(dir);
    }

    @Test(timeout = 30_000)
    public void ringsBeforeTheRendererConnectsAreDroppedAndLaterOnesArrive() throws IOException {
        try (SocketBell bell = SocketBell.listen(path)) {
            bell.write(1); // nobody connected: nobody can sleep on it yet
            try (InputStream rings = SocketBell.connect(path)) {
                bell.write(1);
                assertEquals(0, rings.read());
                assertFalse("the path is removed once the renderer is accepted", Files.exists(path));
            }
        }
    }

    @Test(timeout = 30_000)
    public void aRendererThatNeverReadsItsBellNeverBlocksARing() throws IOException {
        try (SocketBell bell = SocketBell.listen(path); InputStream rings = SocketBell.connect(path)) {
            for (int n = 0; n < 1_000_000; n++) {
                bell.write(1); // the socket fills, then rings are dropped: the renderer has plenty unread
            }
            assertEquals(0, rings.read());
        }
    }

    @Test(timeout = 30_000)
    public void closingTheBellEndsTheRenderersChannel() throws IOException {
        InputStream rings;
        try (SocketBell bell = SocketBell.listen(path)) {
            rings = SocketBell.connect(path);
            bell.write(1);
        }
        try (rings) {
            assertEquals(0, rings.read());
            assertEquals(-1, rings.read());
        }
    }

    @Test(timeout = 30_000)
    public void aStrayInterruptOnTheReadingThreadDoesNotCloseTheBell() throws IOException {
        try (SocketBell bell = SocketBell.listen(path); InputStream rings = SocketBell.connect(path)) {
            bell.write(1);
            Thread.currentThread().interrupt(); // as a served call's code may leave it
            assertEquals(0, rings.read());
            bell.write(1);
            assertEquals(0, rings.read());
        }
    }
}
