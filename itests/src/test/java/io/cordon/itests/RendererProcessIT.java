package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/**
 * The launcher with the sample application, as a user runs it: renderers are real java processes
 * beside the launcher, gone when it ends, and gone on their own when the launcher is SIGKILLed.
 */
public class RendererProcessIT {

    private static final long WAIT_S = 60;
    /** Two markdown renderers and one plugin renderer. */
    private static final int SAMPLE_RENDERERS = 3;
    private Process launcher;

    @After
    public void cleanUp() {
        if (launcher != null) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    @Test
    public void sampleRenderersAreLiveJavaProcessesGoneAtEndOfInput() throws Exception {
        launcher = start();
        List<Long> pids;
        try (OutputStream stdin = launcher.getOutputStream()) {
            stdin.write("cordon:renderers\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            pids = readyRendererPids(SAMPLE_RENDERERS);
            for (long pid : pids) {
                ProcessHandle renderer = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("pid " + pid + " not running"));
                assertTrue(renderer.info().command().orElse("").endsWith("java"));
                assertTrue("pid " + pid + " is not the launcher", pid != launcher.pid());
            }
        }
        assertTrue("launcher exits at end of input", launcher.waitFor(WAIT_S, TimeUnit.SECONDS));
        assertEquals(0, launcher.exitValue());
        for (long pid : pids) {
            assertTrue("renderer " + pid + " gone with the launcher", ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    public void renderersOfASigkilledLauncherExitOnTheirOwn() throws Exception {
        launcher = start();
        OutputStream stdin = launcher.getOutputStream();
        stdin.write("cordon:renderers\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        List<Long> pids = readyRendererPids(SAMPLE_RENDERERS);
        long killed = System.nanoTime();
        launcher.destroyForcibly().waitFor();
        // Design target: gone within a second. The bound here only proves they exit by themselves
        // (nothing else would end them); the figure is printed, since timings do not fail tests.
        long deadline = killed + TimeUnit.SECONDS.toNanos(10);
        while (pids.stream().anyMatch(RendererProcessIT::alive) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        System.out.println("renderers exited " + ms + " ms after the launcher was SIGKILLed");
        for (long pid : pids) {
            assertTrue("renderer " + pid + " outlived its SIGKILLed main", !alive(pid));
        }
    }

    /**
     * Whether the process still runs. An orphan that exited stays a zombie until PID 1 reaps it, which
     * some container inits do only every second or so; a zombie has exited, so it counts as gone.
     */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private Process start() throws IOException {
        Path work = Dist.tempDir("renderers");
        Path deploy = Dist.copyDeploy(work.resolve("deploy"));
        return new ProcessBuilder(Dist.home().resolve("bin/cordon").toString(), "--data", work.resolve("data").toString(),
                "--deploy", deploy.toString(), "--log-level", "warn")
                .redirectError(work.resolve("stderr.txt").toFile())
                .start();
    }

    /** Reads the {@code cordon:renderers} table from stdout and returns the pids of the READY rows. */
    private List<Long> readyRendererPids(int expected) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        String header = out.readLine();
        if (header == null || !header.startsWith("ID")) {
            fail("expected the renderers table, got: " + header);
        }
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            String[] columns = out.readLine().trim().split("\\s+");
            assertEquals("READY", columns[3]);
            pids.add(Long.parseLong(columns[2]));
        }
        return pids;
    }
}
