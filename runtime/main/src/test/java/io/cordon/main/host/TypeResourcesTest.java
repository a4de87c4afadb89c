package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import io.cordon.api.RendererType;
import io.cordon.main.deploy.RendererHotDeploy;

/** A type's nice, cpu, memory.mb and pids: defaults, and one clear error per wrong value. */
public class TypeResourcesTest {

    @Test
    public void byDefaultRenderersAreNicedAndUnlimited() {
        assertEquals(RendererType.Resources.DEFAULT, resources(Map.of()));
        assertEquals(new RendererType.Resources(10, 0, 0, 0), RendererType.Resources.DEFAULT);
    }

    @Test
    public void limitsAreTakenAsGiven() {
        RendererType.Resources r = resources(Map.of("nice", 19, "cpu", 0.5, "memory_mb", 256L, "pids", 64));
        assertEquals(new RendererType.Resources(19, 0.5, 256, 64), r);
        assertEquals(true, r.limited());
        assertEquals(false, RendererType.Resources.DEFAULT.limited());
    }

    @Test
    public void wrongValuesAreRefusedWithTheTypeAndTheRule() {
        assertEquals("renderer type demo: nice must be 0..19, got 20", error(Map.of("nice", 20)));
        assertEquals("renderer type demo: nice must be 0..19, got -1", error(Map.of("nice", -1)));
        assertEquals("renderer type demo: cpu must be 0 (no limit) or a number of cores up to 1024, got -0.5",
                error(Map.of("cpu", -0.5)));
        assertEquals("renderer type demo: cpu must be 0 (no limit) or a number of cores up to 1024, got NaN",
                error(Map.of("cpu", Double.NaN)));
        assertEquals("renderer type demo: memory.mb (the whole process) must be 0 (no limit) or more than heap.mb (64), got 64",
                error(Map.of("memory_mb", 64L)));
        assertEquals("renderer type demo: pids must be 0 (no limit) or at least 32 (a renderer JVM runs about 20 threads), got 8",
                error(Map.of("pids", 8)));
    }

    @Test
    public void anEditOfTheResourcesRestartsTheRunningRenderers() {
        RendererType niced = type(Map.of());
        assertEquals(false, RendererHotDeploy.launchChanged(niced, type(Map.of())));
        assertEquals(true, RendererHotDeploy.launchChanged(niced, type(Map.of("nice", 5))));
        assertEquals(true, RendererHotDeploy.launchChanged(niced, type(Map.of("pids", 64))));
    }

    private static RendererType type(Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(Map.of("restart", "never", "sandbox", "auto", "bundle_update", "update",
                "instances", 1, "restart_backoff_ms", 1L, "restart_backoff_max_ms", 1L, "trusted", false, "transport", "shm"));
        values.putAll(settings);
        return RendererTypeComponent.toType(config(values), Map.of("service.pid", "x~demo"), Path.of("renderers"));
    }

    private static String error(Map<String, Object> settings) {
        return assertThrows(IllegalArgumentException.class, () -> resources(settings)).getMessage();
    }

    private static RendererType.Resources resources(Map<String, Object> settings) {
        return RendererTypeComponent.resources("demo", config(settings));
    }

    /** A configuration of {@code settings} over the defaults of the resources and heap; other strings empty. */
    private static RendererTypeConfig config(Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(Map.of("nice", 10, "cpu", 0.0, "memory_mb", 0L, "pids", 0, "heap_mb", 64,
                "buffer_mb", 64, "invoker_threads", 4));
        values.putAll(settings);
        return (RendererTypeConfig) Proxy.newProxyInstance(RendererTypeConfig.class.getClassLoader(),
                new Class<?>[] {RendererTypeConfig.class}, (proxy, method, args) -> values.getOrDefault(method.getName(), ""));
    }
}
