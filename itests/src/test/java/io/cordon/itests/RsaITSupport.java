package io.cordon.itests;

import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;

import io.cordon.itests.rsa.api.RendererSide;

/** Main services for renderers, the proxies main imports from one renderer, and expected exceptions. */
final class RsaITSupport {

    private RsaITSupport() {
    }

    /** Service properties that make a main service remotable (renderers whose whitelist names it import it). */
    static Hashtable<String, Object> remotable() {
        return new Hashtable<>(Map.of("service.exported.interfaces", "*"));
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call}, which must throw exactly {@code type} with {@code messagePart} in its message. */
    static <T extends Throwable> T expect(Call call, Class<T> type, String messagePart) {
        try {
            call.run();
        } catch (Throwable t) {
            assertSame("exception type of " + t, type, t.getClass());
            assertTrue(t.getMessage(), String.valueOf(t.getMessage()).contains(messagePart));
            return type.cast(t);
        }
        throw new AssertionError("expected " + type.getName());
    }

    /**
     * The number main's channel endpoint of {@code service} has on the wire (what a forged RSA_CALL names):
     * the last part of its endpoint.id, {@code cordon:<uuid>:<handle>}.
     */
    static long channelHandle(BundleContext context, ServiceReference<?> service) {
        RemoteServiceAdmin rsa = context.getService(context.getServiceReference(RemoteServiceAdmin.class));
        String id = Poll.until("main's io.cordon.ipc endpoint of " + service, () -> rsa.getExportedServices().stream()
                .filter(r -> service.equals(r.getExportedService()) && r.getExportedEndpoint().getConfigurationTypes().contains("io.cordon.ipc"))
                .map(r -> r.getExportedEndpoint().getId()).findFirst().orElse(null));
        return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
    }

    static ServiceReference<RendererSide> sideReference(BundleContext context, int rendererId) {
        return reference(context, RendererSide.class, rendererId);
    }

    static RendererSide side(BundleContext context, int rendererId) {
        return fromRenderer(context, RendererSide.class, rendererId);
    }

    /** The renderer's service of that interface, as main imported it. */
    static <T> T fromRenderer(BundleContext context, Class<T> type, int rendererId) {
        return context.getService(reference(context, type, rendererId));
    }

    private static <T> ServiceReference<T> reference(BundleContext context, Class<T> type, int rendererId) {
        return Poll.until(type.getSimpleName() + " of renderer " + rendererId, () -> {
            try {
                Collection<ServiceReference<T>> refs = context.getServiceReferences(type, "(cordon.renderer.id=" + rendererId + ")");
                return refs.isEmpty() ? null : refs.iterator().next();
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
