package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.cordon.api.RendererType;
import io.cordon.main.deploy.RendererHotDeploy;

/** The supervisor's pure decisions besides the lifecycle and the slots: restart backoff, launch changes, type settings. */
public class SupervisorLogicTest {

    private static final java.nio.file.Path DEFAULT_ROOT = java.nio.file.Path.of("deploy/renderers");

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
    public void onlyHeapJvmOptionsSandboxAndBudgetNeedANewRenderer() {
        RendererType base = type(64, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.AUTO, 1);
        assertFalse(RendererHotDeploy.launchChanged(base, type(64, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.AUTO, 5)));
        assertTrue(RendererHotDeploy.launchChanged(base, type(128, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.AUTO, 1)));
        assertTrue(RendererHotDeploy.launchChanged(base, type(64, java.util.List.of("-Da=2"), RendererType.SandboxPolicy.AUTO, 1)));
        assertTrue(RendererHotDeploy.launchChanged(base, type(64, java.util.List.of("-Da=1"), RendererType.SandboxPolicy.STRICT, 1)));
        RendererType biggerBudget = new RendererType("t", 1, java.util.List.of(), java.util.List.of(), 64, java.util.List.of("-Da=1"),
                RendererType.RestartPolicy.NEVER, 1, 1, RendererType.SandboxPolicy.AUTO, java.util.List.of(), java.util.List.of(), false,
                RendererType.BundleUpdatePolicy.UPDATE, new RendererType.Budget(128, 4), RendererType.Resources.DEFAULT, RendererType.Transport.SHM);
        assertTrue("a budget lives in main's host of each renderer: a new one needs a new renderer",
                RendererHotDeploy.launchChanged(base, biggerBudget));
        RendererType overPipe = new RendererType("t", 1, java.util.List.of(), java.util.List.of(), 64, java.util.List.of("-Da=1"),
                RendererType.RestartPolicy.NEVER, 1, 1, RendererType.SandboxPolicy.AUTO, java.util.List.of(), java.util.List.of(), false,
                RendererType.BundleUpdatePolicy.UPDATE, RendererType.Budget.DEFAULT, RendererType.Resources.DEFAULT, RendererType.Transport.PIPE);
        assertTrue("the transport is chosen at launch", RendererHotDeploy.launchChanged(base, overPipe));
    }

    private static RendererType type(int heapMb, java.util.List<String> jvmOptions, RendererType.SandboxPolicy sandbox, int instances) {
        return new RendererType("t", instances, java.util.List.of(), java.util.List.of(), heapMb, jvmOptions,
                RendererType.RestartPolicy.NEVER, 1, 1, sandbox, java.util.List.of(), java.util.List.of(), false,
                RendererType.BundleUpdatePolicy.UPDATE, RendererType.Budget.DEFAULT, RendererType.Resources.DEFAULT, RendererType.Transport.SHM);
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
                    case "heap_mb", "buffer_mb" -> 64;
                    case "invoker_threads" -> 4;
                    case "restart_backoff_ms", "restart_backoff_max_ms" -> 1L;
                    default -> "";
                });
    }
}
