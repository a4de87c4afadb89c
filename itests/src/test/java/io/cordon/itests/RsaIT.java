package io.cordon.itests;

import static org.junit.Assert.assertArrayEquals;
import static io.cordon.itests.RsaITSupport.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LogLevel;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ImportReference;
import org.osgi.service.remoteserviceadmin.ImportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminEvent;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminListener;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;
import io.cordon.itests.late.api.Late;
import io.cordon.itests.late.renderer.LateActivator;
import io.cordon.itests.rsa.api.BusyException;
import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Line;
import io.cordon.itests.rsa.api.Lookout;
import io.cordon.itests.rsa.api.Point;
import io.cordon.itests.rsa.api.RendererSide;
import io.cordon.itests.rsa.api.Shout;
import io.cordon.itests.rsa.api.Vault;
import io.cordon.itests.rsa.renderer.RendererSideActivator;

/**
 * Remote Service Admin over the real channel of real renderer JVMs, both directions: main's Echo is
 * whitelisted to the renderer, the renderer's RendererSide is provided back to main. The API package
 * is exported in main by this test's probe bundle and installed in renderers as a preload bundle, which
 * exposes Echo's proxy to the renderer bundle ({@code Cordon-Expose}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RsaIT {

    static final String API = "io.cordon.itests.rsa.api";
    private static final String LATE_API = "io.cordon.itests.late.api";
    private static final long WAIT_S = 60;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private ServiceRegistration<Echo> echo;
    private RendererFixture fixture;
    private final List<String> types = new ArrayList<>();

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Export-Package", API + ";version=\"1.0.0\"");
        return probe;
    }

    /** The channel transport of this suite's renderer types; {@link RsaPipeIT} runs the suite over the pipe. */
    protected String transport() {
        return "shm";
    }

    @Before
    public void registerEcho() {
        fixture = new RendererFixture(context, configAdmin);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.exported.interfaces", "*");
        echo = context.registerService(Echo.class, new Echo() {
            @Override
            public String echo(String text) {
                return "echo:" + text;
            }

            @Override
            public Line stretch(Line line, int dx) {
                return new Line(line.from(), new Point(line.to().x + dx, line.to().y), line.tags());
            }

            @Override
            public String secret() {
                return "never to a renderer";
            }
        }, props);
    }

    @After
    public void cleanUp() throws IOException {
        echo.unregister();
        for (String type : types) {
            fixture.removeType(type);
        }
    }

    @Test
    public void synchronousCallsGoBothWaysWithDtosRecordsAndCollections() throws Exception {
        RendererInfo r = spawn("sync");
        // Over shm, the renderer maps its ring file, which it removed before any bundle ran; over the pipe it maps none.
        String maps = Files.readString(Path.of("/proc", Long.toString(r.pid()), "maps"));
        assertEquals("the renderer's channel runs over " + transport(), "shm".equals(transport()), maps.contains("channel.shm (deleted)"));
        assertFalse("the ring file is removed once mapped", maps.contains("channel.shm\n"));
        ServiceReference<RendererSide> ref = sideReference(r.id());
        assertEquals(Boolean.TRUE, ref.getProperty("service.imported"));
        assertEquals(r.id(), ref.getProperty(Renderers.RENDERER_ID));
        assertTrue(String.valueOf(ref.getProperty("endpoint.id")), String.valueOf(ref.getProperty("endpoint.id")).startsWith("cordon:"));
        assertTrue(List.of((String[]) ref.getProperty("service.imported.configs")).contains("io.cordon.ipc"));
        RendererSide side = context.getService(ref);
        assertEquals("renderer " + r.id(), side.whoami());
        assertEquals("echo:héllo", side.echoViaMain("héllo"));
        Line stretched = side.stretchViaMain(new Line(new Point(1, 2), new Point(3, 4), List.of("a", "b")), 10);
        assertEquals(13, stretched.to().x);
        assertEquals(4, stretched.to().y);
        assertEquals(List.of("a", "b"), stretched.tags());
        assertEquals(Map.of("a", 2, "b", 1), side.count(List.of("a", "b", "a")));
    }

    @Test
    public void asynchronousMethodsCompleteWithoutBlockingTheCaller() throws Exception {
        RendererSide side = side(spawn("async").id());
        Promise<String> later = side.later("x", 300);
        CompletableFuture<Integer> square = side.square(7);
        assertEquals(Integer.valueOf(49), square.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals("later:x", await(later));
    }

    @Test
    public void exceptionsArriveAsTheirTypeOrAsRemoteServiceExceptions() throws Exception {
        RendererSide side = side(spawn("exceptions").id());
        expect(() -> side.fail("iae", "bad arg"), IllegalArgumentException.class, "bad arg");
        expect(() -> side.fail("ise", "bad state"), IllegalStateException.class, "bad state");
        expect(() -> side.fail("npe", "no value"), NullPointerException.class, "no value");
        expect(() -> side.fail("uoe", "not here"), UnsupportedOperationException.class, "not here");
        expect(() -> side.fail("busy", "try later"), BusyException.class, "try later");
        ServiceException remote = expect(() -> side.fail("other", "disk"), ServiceException.class, "java.io.UncheckedIOException");
        assertEquals(ServiceException.REMOTE, remote.getType());
        assertNotNull("the remote stack travels as the cause", remote.getCause());
        assertTrue(remote.getCause().getStackTrace().length > 0);
        assertTrue(remote.getCause().getStackTrace()[0].getClassName(),
                List.of(remote.getCause().getStackTrace()).stream().anyMatch(e -> e.getClassName().equals(RendererSideActivator.class.getName())));
    }

    @Test
    public void aCallThatOutlivesItsTimeoutFailsAndTheRendererKeepsServing() throws Exception {
        RendererSide side = side(spawn("timeout").id());
        long start = System.nanoTime();
        ServiceException e = expect(() -> side.sleep(15_000), ServiceException.class, "within 3000 ms");
        System.out.println("RsaIT: a call with osgi.basic.timeout=3000 failed after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        assertEquals(ServiceException.REMOTE, e.getType());
        assertTrue(side.whoami().startsWith("renderer "));
    }

    @Test
    public void killingTheRendererFailsItsCallsInFlightAtOnce() throws Exception {
        RendererInfo r = spawn("killed");
        RendererSide side = side(r.id());
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return side.sleep(20_000);
            } catch (Exception | Error t) {
                return t;
            }
        });
        Thread.sleep(500);
        long killed = System.nanoTime();
        await(renderers().kill(r.id()));
        Object outcome = call.get(WAIT_S, TimeUnit.SECONDS);
        System.out.println("RsaIT: the call in flight failed " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
                + " ms after the kill");
        assertTrue("failed: " + outcome, outcome instanceof ServiceException);
        assertTrue(((ServiceException) outcome).getMessage(), ((ServiceException) outcome).getMessage().contains("is gone"));
    }

    @Test
    public void sixteenMebibyteArgumentsCrossTheChannel() throws Exception {
        RendererSide side = side(spawn("large").id());
        assertEquals(16 << 20, side.length(new byte[16 << 20]));
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        byte[] reversed = side.reverse(data);
        for (int i = 0; i < data.length; i++) {
            assertEquals(data[i], reversed[data.length - 1 - i]);
        }
        byte[] small = {1, 2, 3};
        assertArrayEquals(new byte[] {3, 2, 1}, side.reverse(small));
    }

    @Test
    public void rsaEventsAreObservedAndAWithdrawnEndpointLosesItsProxy() throws Exception {
        BlockingQueue<RemoteServiceAdminEvent> rsaEvents = new LinkedBlockingQueue<>();
        BlockingQueue<Event> adminEvents = new LinkedBlockingQueue<>();
        ServiceRegistration<RemoteServiceAdminListener> listener = context.registerService(RemoteServiceAdminListener.class,
                rsaEvents::add, null);
        Dictionary<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, "org/osgi/service/remoteserviceadmin/*"));
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class, adminEvents::add, topics);
        try {
            RendererInfo r = spawn("events");
            ServiceReference<RendererSide> ref = sideReference(r.id());
            String endpointId = (String) ref.getProperty("endpoint.id");
            next(rsaEvents, e -> e.getType() == RemoteServiceAdminEvent.IMPORT_REGISTRATION
                    && e.getImportReference().getImportedEndpoint().getId().equals(endpointId));
            next(adminEvents, e -> e.getTopic().equals("org/osgi/service/remoteserviceadmin/IMPORT_REGISTRATION")
                    && endpointId.equals(e.getProperty("endpoint.id")));

            RemoteServiceAdmin rsa = context.getService(context.getServiceReference(RemoteServiceAdmin.class));
            EndpointDescription endpoint = importedEndpoint(rsa, endpointId);
            ImportRegistration second = rsa.importService(endpoint);
            assertNotNull(second);
            ImportReference secondReference = second.getImportReference();
            assertEquals("a second import shares the proxy", ref, secondReference.getImportedService());
            next(rsaEvents, e -> e.getType() == RemoteServiceAdminEvent.IMPORT_REGISTRATION
                    && e.getImportReference().getImportedEndpoint().getId().equals(endpointId));
            second.close();
            assertNull("a closed registration has no reference", second.getImportReference());
            assertNull("and its reference answers null", secondReference.getImportedService());
            next(rsaEvents, e -> e.getType() == RemoteServiceAdminEvent.IMPORT_UNREGISTRATION
                    && e.getImportReference().getImportedEndpoint().getId().equals(endpointId));
            assertNotNull("the proxy stays while another registration holds it", ref.getBundle());

            RendererSide side = context.getService(ref);
            side.withdraw();
            next(rsaEvents, e -> e.getType() == RemoteServiceAdminEvent.IMPORT_UNREGISTRATION
                    && e.getImportReference().getImportedEndpoint().getId().equals(endpointId));
            Poll.untilTrue("the proxy is unregistered", () -> ref.getBundle() == null);
            ServiceException gone = expect(side::whoami, ServiceException.class, "");
            assertEquals(ServiceException.REMOTE, gone.getType());
        } finally {
            listener.unregister();
            handler.unregister();
        }
    }

    // ---- helpers ----

    private RendererInfo spawn(String name) throws Exception {
        Path dir = Dist.tempDir("rsa-" + name);
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        exposingApiBundle(preload.resolve("api.jar"));
        sideJar(bundles.resolve("side.jar"));
        Map<String, Object> settings = new HashMap<>(rendererSettings(preload, 160));
        settings.put("transport", transport());
        types.add(fixture.type(name, "never", bundles.toString(), settings));
        return await(renderers().spawn(name));
    }

    /** The renderer bundle that provides RendererSide back to main and calls main's Echo. */
    @Test
    public void anImportWaitingForItsApiInMainArrivesWhenTheApiBundleDoes() throws Exception {
        Path dir = Dist.tempDir("late");
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        Path api = preload.resolve("late-api.jar");
        TestJars.bundle(api, LATE_API, "1.0.0", List.of(Late.class), "Export-Package", LATE_API + ";version=\"1.0.0\"");
        TestJars.bundle(bundles.resolve("late.jar"), "io.cordon.itests.late.renderer", "1.0.0", List.of(LateActivator.class),
                "Bundle-Activator", LateActivator.class.getName(), "Import-Package", "org.osgi.framework," + LATE_API);
        types.add(fixture.type("late", "never", bundles.toString(),
                Map.of("preload", preload.toString(), "provides", Late.class.getName(), "transport", transport())));
        try (LogCapture log = new LogCapture(context)) {
            RendererInfo r = RendererFixture.await(fixture.renderers().spawn("late"));
            String proxy = "(&(objectClass=" + Late.class.getName() + ")(cordon.renderer.id=" + r.id() + "))";
            assertNotNull("main says why it cannot import yet:\n" + log.problems(), Poll.until("the import error",
                    () -> log.find(LogLevel.ERROR, "cannot import endpoint", LATE_API, "imported as soon as")));
            // getAll…: the probe holds its own copy of Late, so the proxy's class is not assignable to it.
            assertNull("no proxy without the API", context.getAllServiceReferences(null, proxy));

            Bundle apiInMain = context.installBundle(api.toUri().toString());
            try {
                apiInMain.start();
                ServiceReference<?> ref = Poll.until("the proxy once the API resolved", () -> {
                    try {
                        ServiceReference<?>[] found = context.getAllServiceReferences(null, proxy);
                        return found == null ? null : found[0];
                    } catch (InvalidSyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                });
                // Call through the API bundle's class, not the probe's copy.
                Object service = context.getService(ref);
                Class<?> late = apiInMain.loadClass(Late.class.getName());
                assertEquals("late, but here", late.getMethod("hello").invoke(service));
                context.ungetService(ref);
            } finally {
                apiInMain.uninstall();
            }
        }
    }

    static void sideJar(Path target) throws IOException {
        TestJars.bundle(target, "io.cordon.itests.rsa.renderer", "1.0.0", List.of(RendererSideActivator.class),
                "Bundle-Activator", RendererSideActivator.class.getName(),
                "Import-Package", "org.osgi.framework,org.osgi.util.tracker,org.osgi.util.promise," + API);
    }

    /** The preload folder, Echo whitelisted (echo and stretch only), RendererSide provided back. */
    static Map<String, Object> rendererSettings(Path preload, int heapMb) {
        return Map.of("preload", preload.toString(), "heap.mb", heapMb, "whitelist", Echo.class.getName() + "#echo|stretch",
                "provides", RendererSide.class.getName());
    }

    /**
     * The API as a preload bundle that exposes main's Echo proxy to renderer bundles, which call it
     * directly (renderer bundles see no imported proxy their preload does not expose).
     */
    static void exposingApiBundle(Path target) throws IOException {
        apiBundle(target, "Cordon-Expose", Echo.class.getName());
    }

    /** The API as a preload bundle, with extra manifest headers as name, value pairs. */
    static void apiBundle(Path target, String... headers) throws IOException {
        List<String> all = new ArrayList<>(List.of("Export-Package", API + ";version=\"1.0.0\"", "Import-Package", "org.osgi.util.promise"));
        all.addAll(List.of(headers));
        TestJars.bundle(target, API, "1.0.0", List.of(Echo.class, RendererSide.class, Vault.class, Point.class, Line.class, BusyException.class,
                Lookout.class, Shout.class), all.toArray(String[]::new));
    }

    private ServiceReference<RendererSide> sideReference(int rendererId) {
        return RsaITSupport.sideReference(context, rendererId);
    }

    private RendererSide side(int rendererId) {
        return RsaITSupport.side(context, rendererId);
    }

    private static EndpointDescription importedEndpoint(RemoteServiceAdmin rsa, String endpointId) {
        for (ImportReference ref : rsa.getImportedEndpoints()) {
            if (ref.getImportedEndpoint().getId().equals(endpointId)) {
                return ref.getImportedEndpoint();
            }
        }
        fail("no imported endpoint " + endpointId);
        return null;
    }

    private Renderers renderers() {
        return fixture.renderers();
    }

    private static <T> T next(BlockingQueue<T> queue, Predicate<T> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (System.nanoTime() < deadline) {
            T item = queue.poll(100, TimeUnit.MILLISECONDS);
            if (item != null && wanted.test(item)) {
                return item;
            }
        }
        throw new AssertionError("no matching event within " + WAIT_S + " s");
    }

    private static <T> T await(Promise<T> promise) throws Exception {
        return RendererFixture.await(promise);
    }
}
