package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ExportReference;
import org.osgi.service.remoteserviceadmin.ExportRegistration;
import org.osgi.service.remoteserviceadmin.ImportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminEvent;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminListener;

import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Line;

/**
 * The RSA 1.1 registration model (chapter 122), checked the way the OSGi conformance tests do, on main's
 * RemoteServiceAdmin: registrations per call, closed on their own; a new endpoint per set of override
 * properties; the service factory; events; IllegalArgumentException for malformed properties; the
 * service's properties and the bundles' capabilities. The services here are not remotable by their own
 * properties, so Cordon's topology leaves them alone and every registration is the test's.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RsaSpecIT {

    private static final String CHANNEL = "io.cordon.ipc";
    private static final Map<String, Object> EXPORT_ALL = Map.of("service.exported.interfaces", "*");

    @Inject
    private BundleContext context;

    private final BlockingQueue<RemoteServiceAdminEvent> events = new LinkedBlockingQueue<>();
    private ServiceRegistration<RemoteServiceAdminListener> listener;
    private ServiceRegistration<Echo> echo;
    private ServiceReference<RemoteServiceAdmin> rsaReference;
    private RemoteServiceAdmin rsa;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Export-Package", RsaIT.API + ";version=\"1.0.0\"");
        return probe;
    }

    @Before
    public void setUp() {
        listener = context.registerService(RemoteServiceAdminListener.class, events::add, null);
        echo = context.registerService(Echo.class, new Echo() {
            @Override
            public String echo(String text) {
                return text;
            }

            @Override
            public Line stretch(Line line, int dx) {
                return line;
            }

            @Override
            public String secret() {
                return "";
            }
        }, new Hashtable<>(Map.of("color", "green")));
        rsaReference = Poll.until("the RemoteServiceAdmin", () -> context.getServiceReference(RemoteServiceAdmin.class));
        rsa = context.getService(rsaReference);
    }

    @After
    public void tearDown() {
        context.ungetService(rsaReference);
        echo.unregister();
        listener.unregister();
    }

    @Test
    public void eachExportIsItsOwnRegistrationClosedOnItsOwn() throws Exception {
        ExportRegistration first = only(rsa.exportService(echo.getReference(), EXPORT_ALL));
        ExportRegistration second = only(rsa.exportService(echo.getReference(), EXPORT_ALL));
        assertNull(first.getException());
        ExportReference firstReference = first.getExportReference();
        ExportReference secondReference = second.getExportReference();
        assertNotSame(firstReference, secondReference);
        String endpointId = firstReference.getExportedEndpoint().getId();
        assertEquals("same properties, same endpoint", endpointId, secondReference.getExportedEndpoint().getId());
        next(RemoteServiceAdminEvent.EXPORT_REGISTRATION, endpointId);
        next(RemoteServiceAdminEvent.EXPORT_REGISTRATION, endpointId);

        first.close();
        assertNull("a closed registration has no reference", first.getExportReference());
        assertNull("a closed registration's reference answers null", firstReference.getExportedService());
        assertNull(firstReference.getExportedEndpoint());
        next(RemoteServiceAdminEvent.EXPORT_UNREGISTRATION, endpointId);
        assertEquals(echo.getReference(), secondReference.getExportedService());
        assertTrue("the endpoint stays while a registration holds it", exported(endpointId));
        first.close();

        second.close();
        next(RemoteServiceAdminEvent.EXPORT_UNREGISTRATION, endpointId);
        assertTrue("the endpoint goes with its last registration", !exported(endpointId));
    }

    @Test
    public void otherOverridePropertiesMakeAnotherEndpoint() throws Exception {
        ExportRegistration red = only(rsa.exportService(echo.getReference(), with("color", "red")));
        ExportRegistration blue = only(rsa.exportService(echo.getReference(), with("COLOR", "blue")));
        try {
            EndpointDescription redEndpoint = red.getExportReference().getExportedEndpoint();
            EndpointDescription blueEndpoint = blue.getExportReference().getExportedEndpoint();
            assertNotEquals(redEndpoint.getId(), blueEndpoint.getId());
            assertEquals("red", redEndpoint.getProperties().get("color"));
            assertEquals("an override replaces the service's property whatever its case", "blue", blueEndpoint.getProperties().get("color"));
            assertEquals(echo.getReference().getProperty("service.id"), redEndpoint.getServiceId());
            assertEquals(List.of(CHANNEL), redEndpoint.getConfigurationTypes());

            EndpointDescription updated = red.update(with("color", "yellow"));
            assertEquals(redEndpoint.getId(), updated.getId());
            assertEquals("yellow", red.getExportReference().getExportedEndpoint().getProperties().get("color"));
            next(RemoteServiceAdminEvent.EXPORT_UPDATE, redEndpoint.getId());
        } finally {
            red.close();
            blue.close();
        }
        try {
            red.update(null);
            fail("update of a closed registration");
        } catch (IllegalStateException expected) {
            // as ExportRegistration.update says
        }
    }

    @Test
    public void ungettingTheServiceClosesThatBundlesRegistrations() throws Exception {
        ServiceReference<RemoteServiceAdmin> ref = context.getServiceReference(RemoteServiceAdmin.class);
        java.nio.file.Path jar = Dist.tempDir("spec-user").resolve("user.jar");
        TestJars.bundle(jar, "io.cordon.itests.spec.user", "1.0.0", List.of());
        Bundle other = context.installBundle(jar.toUri().toString());
        try {
            other.start();
            RemoteServiceAdmin theirs = other.getBundleContext().getService(ref);
            assertNotSame("a service factory: each bundle its own", rsa, theirs);
            ExportRegistration registration = only(theirs.exportService(echo.getReference(), EXPORT_ALL));
            ExportRegistration mine = only(rsa.exportService(echo.getReference(), EXPORT_ALL));
            String endpointId = registration.getExportReference().getExportedEndpoint().getId();
            other.getBundleContext().ungetService(ref);
            assertNull("closed with the bundle's use of the service", registration.getExportReference());
            next(RemoteServiceAdminEvent.EXPORT_UNREGISTRATION, endpointId);
            assertNotNull("another bundle's registration stays", mine.getExportReference());
            mine.close();
        } finally {
            other.uninstall();
        }
    }

    @Test
    public void malformedPropertiesOfASupportedTypeAreIllegalArguments() {
        expectIllegal(Map.of(), "service.exported.interfaces");
        expectIllegal(with("osgi.basic.timeout", "soon"), "osgi.basic.timeout");
        expectIllegal(with("osgi.basic.timeout", -5), "osgi.basic.timeout");
        expectIllegal(with("io.cordon.ipc.address", "x"), "unknown property io.cordon.ipc.address");
        expectIllegal(Map.of("service.exported.interfaces", "java.lang.Runnable"), "not registered under");
    }

    @Test
    public void otherConfigTypesAndUnsupportedIntentsAreLeftAlone() throws Exception {
        assertTrue(rsa.exportService(echo.getReference(), with("service.exported.configs", "org.example.other")).isEmpty());
        assertTrue(rsa.exportService(echo.getReference(), with("service.exported.intents", "org.example.exactly-once")).isEmpty());
        // A remotable service that asks only for another provider's configuration type: Cordon's topology does not export it.
        Hashtable<String, Object> foreign = new Hashtable<>(Map.of("service.exported.interfaces", "*",
                "service.exported.configs", "org.example.other"));
        ServiceRegistration<Echo> other = context.registerService(Echo.class, context.getService(echo.getReference()), foreign);
        try {
            Thread.sleep(200);
            Object id = other.getReference().getProperty("service.id");
            assertTrue(rsa.getExportedServices().stream().noneMatch(r -> id.equals(r.getExportedEndpoint().getServiceId())));
        } finally {
            other.unregister();
            context.ungetService(echo.getReference());
        }
        EndpointDescription foreignEndpoint = new EndpointDescription(Map.of("objectClass", new String[] {Echo.class.getName()},
                "endpoint.id", "elsewhere:1", "service.imported.configs", "org.example.other"));
        assertNull("an endpoint of another configuration type is not Cordon's to import", rsa.importService(foreignEndpoint));
    }

    @Test
    public void failuresCarryTheExceptionAndTheFailedReference() throws Exception {
        @SuppressWarnings("rawtypes")
        ServiceRegistration<Supplier> generic = context.registerService(Supplier.class, () -> "x", null);
        try {
            ExportRegistration failed = only(rsa.exportService(generic.getReference(), EXPORT_ALL));
            assertNotNull(failed.getException());
            expectIllegalState(failed::getExportReference);
            RemoteServiceAdminEvent error = next(e -> e.getType() == RemoteServiceAdminEvent.EXPORT_ERROR);
            assertSame(failed.getException(), error.getException());
            assertEquals(generic.getReference(), error.getExportReference().getExportedService());
            failed.close();
            assertNull(failed.getException());
        } finally {
            generic.unregister();
        }

        EndpointDescription unknown = new EndpointDescription(Map.of("objectClass", new String[] {Echo.class.getName()},
                "endpoint.id", "cordon:nowhere:1", "endpoint.framework.uuid", "nowhere", "endpoint.service.id", 1L,
                "service.imported.configs", CHANNEL));
        ImportRegistration failed = rsa.importService(unknown);
        assertNotNull(failed.getException());
        expectIllegalState(failed::getImportReference);
        RemoteServiceAdminEvent error = next(e -> e.getType() == RemoteServiceAdminEvent.IMPORT_ERROR);
        assertSame(failed.getException(), error.getException());
        assertEquals("cordon:nowhere:1", error.getImportReference().getImportedEndpoint().getId());
    }

    @Test
    public void theServiceAndTheBundlesDeclareWhatTheySupport() {
        assertTrue(List.of((String[]) rsaReference.getProperty("remote.configs.supported")).contains(CHANNEL));
        assertTrue(List.of((String[]) rsaReference.getProperty("remote.intents.supported")).containsAll(List.of("osgi.basic", "osgi.async")));
        Bundle provider = rsaReference.getBundle();
        assertEquals(List.of(CHANNEL, "cordon.socket"), attribute(provider, "osgi.remoteserviceadmin.distribution", "configs"));
        assertNotNull(attribute(provider, "osgi.remoteserviceadmin.topology", "policy"));
        assertTrue(provider.adapt(BundleRevision.class).getDeclaredCapabilities("osgi.service").stream()
                .anyMatch(c -> String.valueOf(c.getAttributes().get("objectClass")).contains(RemoteServiceAdmin.class.getName())));
    }

    // ---- helpers ----

    private static Map<String, Object> with(String key, Object value) {
        return Map.of("service.exported.interfaces", "*", key, value);
    }

    private void expectIllegal(Map<String, Object> overrides, String messagePart) {
        try {
            rsa.exportService(echo.getReference(), overrides);
            fail("exportService with " + overrides + " must throw IllegalArgumentException");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(messagePart));
        }
    }

    private static void expectIllegalState(Runnable call) {
        try {
            call.run();
            fail("a failed registration has no reference");
        } catch (IllegalStateException expected) {
            assertNotNull(expected.getCause());
        }
    }

    private static Object attribute(Bundle bundle, String namespace, String name) {
        List<BundleCapability> found = bundle.adapt(BundleRevision.class).getDeclaredCapabilities(namespace);
        assertEquals(namespace + " capabilities of " + bundle.getSymbolicName(), 1, found.size());
        return found.get(0).getAttributes().get(name);
    }

    private boolean exported(String endpointId) {
        return rsa.getExportedServices().stream().anyMatch(r -> endpointId.equals(r.getExportedEndpoint().getId()));
    }

    private static <T> T only(Collection<T> items) {
        assertEquals(String.valueOf(items), 1, items.size());
        return items.iterator().next();
    }

    private RemoteServiceAdminEvent next(int type, String endpointId) throws InterruptedException {
        return next(e -> e.getType() == type && e.getExportReference() != null
                && endpointId.equals(e.getExportReference().getExportedEndpoint().getId()));
    }

    private RemoteServiceAdminEvent next(Predicate<RemoteServiceAdminEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            RemoteServiceAdminEvent event = events.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && wanted.test(event)) {
                return event;
            }
        }
        throw new AssertionError("no matching RemoteServiceAdminEvent within 20 s");
    }
}
