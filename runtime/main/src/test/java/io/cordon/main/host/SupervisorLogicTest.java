package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererType;

/** The supervisor's pure decisions: why a renderer is gone, and when it comes back. */
public class SupervisorLogicTest {

    private static final java.nio.file.Path DEFAULT_ROOT = java.nio.file.Path.of("deploy/renderers");

    private static GoneReason classify(int exit, boolean ready, boolean launchFailed, boolean bad, boolean unresponsive,
                                       boolean kill, boolean stop, boolean oom) {
        return GoneClassifier.classify(new GoneClassifier.Facts(exit, ready, launchFailed, bad, unresponsive, kill, stop, oom));
    }

    @Test
    public void cleanExitAfterStop() {
        assertEquals(GoneReason.CLEAN_EXIT, classify(0, true, false, false, false, false, true, false));
    }

    @Test
    public void sigkillIsKilledWhetherRequestedOrNot() {
        assertEquals(GoneReason.KILLED, classify(137, true, false, false, false, true, false, false));
        assertEquals(GoneReason.KILLED, classify(137, true, false, false, false, false, false, false));
    }

    @Test
    public void nonZeroExitIsACrash() {
        assertEquals(GoneReason.CRASHED, classify(1, true, false, false, false, false, false, false));
    }

    @Test
    public void outOfMemoryWinsOverCrash() {
        assertEquals(GoneReason.OOM, classify(3, true, false, false, false, false, false, true));
    }

    @Test
    public void badMessageWinsOverEverything() {
        assertEquals(GoneReason.BAD_MESSAGE, classify(137, true, false, true, false, true, false, false));
        assertEquals(GoneReason.BAD_MESSAGE, classify(137, false, false, true, false, false, false, false));
    }

    @Test
    public void dyingBeforeReadyIsALaunchFailure() {
        assertEquals(GoneReason.LAUNCH_FAILED, classify(1, false, false, false, false, false, false, false));
        assertEquals(GoneReason.LAUNCH_FAILED, classify(137, false, true, false, false, false, false, false));
    }

    @Test
    public void killingAStartingRendererIsNotALaunchFailure() {
        assertEquals(GoneReason.KILLED, classify(137, false, false, false, false, true, false, false));
    }

    @Test
    public void unresponsiveKill() {
        assertEquals(GoneReason.UNRESPONSIVE, classify(137, true, false, false, true, false, false, false));
    }

    @Test
    public void backoffDoublesUpToTheCap() {
        assertEquals(500, RestartBackoff.delay(500, 30_000, 0));
        assertEquals(1_000, RestartBackoff.delay(500, 30_000, 1));
        assertEquals(4_000, RestartBackoff.delay(500, 30_000, 3));
        assertEquals(30_000, RestartBackoff.delay(500, 30_000, 10));
        assertEquals(30_000, RestartBackoff.delay(500, 30_000, Integer.MAX_VALUE));
    }

    @Test
    public void aStableRendererIsForgivenItsCrashes() {
        assertEquals(4, RestartBackoff.nextCrashCount(3, 1_000));
        assertEquals(0, RestartBackoff.nextCrashCount(3, RestartBackoff.STABLE_MS));
    }

    @Test
    public void onlyHeapJvmOptionsAndSandboxNeedANewJvm() {
        RendererType base = type(64, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.AUTO, 1);
        assertFalse(RendererHotDeploy.launchChanged(base, type(64, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.AUTO, 5)));
        assertTrue(RendererHotDeploy.launchChanged(base, type(128, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.AUTO, 1)));
        assertTrue(RendererHotDeploy.launchChanged(base, type(64, java.util.List.of("-Da=2"), RendererType.SandboxPolicy.AUTO, 1)));
        assertTrue(RendererHotDeploy.launchChanged(base, type(64, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.STRICT, 1)));
    }

    private static RendererType type(int heapMb, java.util.List<String> jvmOptions, RendererType.SandboxPolicy sandbox, int instances) {
        return new RendererType("t", instances, java.util.List.of(), java.util.List.of(), heapMb, jvmOptions,
                RendererType.RestartPolicy.NEVER, 1, 1, sandbox, java.util.List.of(), java.util.List.of(), false,
                RendererType.BundleUpdatePolicy.UPDATE);
    }

    @Test
    public void listsAreCommaSeparated() {
        assertEquals(java.util.List.of("a.jar", "dir/b"), RendererTypeComponent.list(" a.jar, ,dir/b "));
        assertEquals(java.util.List.of(), RendererTypeComponent.list(""));
    }

    @Test
    public void invalidTypeSettingsAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RendererTypeComponent.toType(config("sometimes", "auto"), java.util.Map.of("service.pid", "x~demo"), DEFAULT_ROOT));
        assertEquals("renderer type demo: restart must be never or on-crash, got 'sometimes'", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RendererTypeComponent.toType(config("never", "maybe"), java.util.Map.of("service.pid", "x~demo"), DEFAULT_ROOT));
    }

    private static RendererTypeConfig config(String restart, String sandbox) {
        return (RendererTypeConfig) java.lang.reflect.Proxy.newProxyInstance(RendererTypeConfig.class.getClassLoader(),
                new Class<?>[] {RendererTypeConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "restart" -> restart;
                    case "sandbox" -> sandbox;
                    case "instances" -> 1;
                    case "heap_mb" -> 64;
                    case "restart_backoff_ms", "restart_backoff_max_ms" -> 1L;
                    default -> "";
                });
    }
}
