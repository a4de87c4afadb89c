package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import io.cordon.api.RendererType;

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

    private static String error(Map<String, Object> settings) {
        return assertThrows(IllegalArgumentException.class, () -> resources(settings)).getMessage();
    }

    private static RendererType.Resources resources(Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(Map.of("nice", 10, "cpu", 0.0, "memory_mb", 0L, "pids", 0, "heap_mb", 64));
        values.putAll(settings);
        RendererTypeConfig config = (RendererTypeConfig) Proxy.newProxyInstance(RendererTypeConfig.class.getClassLoader(),
                new Class<?>[] {RendererTypeConfig.class}, (proxy, method, args) -> values.get(method.getName()));
        return RendererTypeComponent.resources("demo", config);
    }
}
