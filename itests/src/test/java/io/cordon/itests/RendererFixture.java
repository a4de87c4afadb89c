package io.cordon.itests;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.Hashtable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererEvent;
import io.cordon.api.Renderers;

/** What renderer tests share: the {@link Renderers} service, renderer types made with ConfigAdmin, promises awaited. */
final class RendererFixture {

    static final long WAIT_S = 60;
    private static final String FACTORY_PID = "io.cordon.renderer.type";

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;

    RendererFixture(BundleContext context, ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
    }

    /**
     * Looked up each time: a test may restart io.cordon.main, which replaces the service. The first is the one
     * configured from the test's deploy folder ({@link CordonOptions}: spare.renderers, a property of the service),
     * so that the configuration FileInstall applies never restarts the supervisor under a test.
     */
    Renderers renderers() {
        return context.getService(configured());
    }

    private ServiceReference<Renderers> configured() {
        return Poll.until("the Renderers service, configured", () -> {
            ServiceReference<Renderers> ref = context.getServiceReference(Renderers.class);
            return ref == null || ref.getProperty("spare.renderers") == null ? null : ref;
        });
    }

    /**
     * Creates a renderer type with no instances of its own (tests spawn what they need), restart
     * backoff 100 ms, at main's priority ({@code nice=0}: on a build machine kept busy by other work, niced
     * renderers start slowly; {@link SpinningRendererIT} tests the priority), and {@code settings} on top;
     * waits until the supervisor knows it.
     */
    String type(String name, String restart, String bundles, Map<String, Object> settings) throws IOException {
        Configuration config = configAdmin.getFactoryConfiguration(FACTORY_PID, name, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("instances", 0);
        properties.put("bundles", bundles);
        properties.put("restart", restart);
        properties.put("restart.backoff.ms", 100L);
        properties.put("nice", 0);
        properties.putAll(settings);
        config.update(properties);
        Poll.untilTrue("renderer type " + name, () -> renderers().types().stream().anyMatch(t -> t.name().equals(name)));
        return name;
    }

    /**
     * Sets {@code settings} on the configuration {@code pid} unless it has them already, and waits for the
     * Renderers service (changing io.cordon.supervisor or io.cordon.rsa restarts the components).
     */
    void configure(String pid, Map<String, Object> settings) throws IOException {
        configured();
        Configuration config = configAdmin.getConfiguration(pid, "?");
        java.util.Dictionary<String, Object> current = config.getProperties();
        Hashtable<String, Object> properties = new Hashtable<>();
        if (current != null) {
            java.util.Collections.list(current.keys()).forEach(k -> properties.put(k, current.get(k)));
        }
        if (settings.entrySet().stream().allMatch(e -> e.getValue().equals(properties.get(e.getKey())))) {
            return;
        }
        properties.putAll(settings);
        Object before = serviceId();
        config.update(properties);
        // Both configurations restart the supervisor, which registers Renderers anew.
        Poll.untilTrue(pid + " applied", () -> {
            Object now = serviceId();
            return now != null && !now.equals(before);
        });
    }

    private Object serviceId() {
        var ref = context.getServiceReference(Renderers.class);
        return ref == null ? null : ref.getProperty(org.osgi.framework.Constants.SERVICE_ID);
    }

    void removeType(String name) throws IOException {
        configAdmin.getFactoryConfiguration(FACTORY_PID, name, "?").delete();
    }

    /** The promise's value, or its failure thrown; fails the test when there is no answer within {@value #WAIT_S} s. */
    static <T> T await(Promise<T> promise) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!promise.isDone()) {
            if (System.nanoTime() > deadline) {
                fail("no answer within " + WAIT_S + " s");
            }
            Thread.sleep(10);
        }
        Throwable failure = promise.getFailure();
        if (failure instanceof Exception e) {
            throw e;
        }
        return promise.getValue();
    }

    /** The next event {@code wanted} accepts, skipping others; fails after {@value #WAIT_S} s naming what was seen. */
    static RendererEvent next(BlockingQueue<RendererEvent> events, java.util.function.Predicate<RendererEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        List<RendererEvent> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            RendererEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
            if (e != null) {
                seen.add(e);
            }
        }
        throw new AssertionError("event not seen within " + WAIT_S + " s; saw " + seen);
    }
}
