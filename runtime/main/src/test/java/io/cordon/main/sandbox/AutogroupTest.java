package io.cordon.main.sandbox;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.cordon.main.sandbox.Autogroup.Group;

/** A renderer's own session (autogroup) gets main's nice plus the type's, on a folder standing in for /proc. */
public class AutogroupTest {

    private Path proc;
    private Process renderer;

    @Before
    public void fakeProc() throws IOException {
        proc = Files.createTempDirectory("proc-");
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/sched_autogroup_enabled"), "1\n");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/autogroup"), "/autogroup-16 nice 2\n");
        renderer = new ProcessBuilder("sleep", "30").start();
        Files.createDirectories(proc.resolve(Long.toString(renderer.pid())));
        Files.writeString(autogroupOfRenderer(), "/autogroup-16 nice 2\n");
    }

    @After
    public void cleanUp() throws IOException {
        renderer.destroyForcibly();
        try (Stream<Path> files = Files.walk(proc)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    public void readsTheKernelsLines() {
        assertEquals(Optional.of(new Group("/autogroup-619", 0)), Autogroup.parse("/autogroup-619 nice 0\n"));
        assertEquals(Optional.of(new Group("/autogroup-3", -5)), Autogroup.parse("/autogroup-3 nice -5"));
        assertEquals(Optional.empty(), Autogroup.parse("garbage"));
        assertEquals(12, Autogroup.niceFor(new Group("/a", 2), 10));
        assertEquals("capped at the kernel's weakest", 19, Autogroup.niceFor(new Group("/a", 15), 10));
        assertTrue(new Autogroup(proc).enabled());
        assertFalse(new Autogroup(proc.resolve("elsewhere")).enabled());
    }

    @Test
    public void theRenderersOwnSessionGetsMainsNicePlusTheTypes() throws Exception {
        CompletableFuture<String> lowering = CompletableFuture.supplyAsync(() -> new Autogroup(proc).lower(renderer.toHandle(), 10));
        Thread.sleep(50);
        assertFalse("waits while the renderer is still in main's session", lowering.isDone());
        Files.writeString(autogroupOfRenderer(), "/autogroup-99 nice 0\n"); // setsid in the sandbox
        assertNull(lowering.get());
        assertEquals("12", Files.readString(autogroupOfRenderer()));
    }

    @Test
    public void aRendererThatNeverLeavesMainsSessionIsLeftAlone() throws Exception {
        CompletableFuture<String> lowering = CompletableFuture.supplyAsync(() -> new Autogroup(proc).lower(renderer.toHandle(), 10));
        Thread.sleep(50);
        renderer.destroyForcibly().waitFor();
        assertNull(lowering.get());
        assertEquals("main's group untouched", "/autogroup-16 nice 2\n", Files.readString(autogroupOfRenderer()));
    }

    @Test
    public void aRendererItsCgroupSchedulesIsLeftAlone() throws Exception {
        Files.writeString(autogroupOfRenderer(), ""); // the kernel prints nothing outside the root task group
        // Should lower() wait for a group instead of returning, it would see this one and write to it.
        CompletableFuture<Void> laterGroup = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(200);
                Files.writeString(autogroupOfRenderer(), "/autogroup-99 nice 0\n");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertNull(new Autogroup(proc).lower(renderer.toHandle(), 10));
        laterGroup.get();
        assertEquals("nothing written", "/autogroup-99 nice 0\n", Files.readString(autogroupOfRenderer()));
    }

    private Path autogroupOfRenderer() {
        return proc.resolve(Long.toString(renderer.pid())).resolve("autogroup");
    }
}
