package io.cordon.itests;

import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

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
