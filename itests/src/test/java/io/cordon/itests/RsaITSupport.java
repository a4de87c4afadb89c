package io.cordon.itests;

import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.cordon.itests.rsa.api.RendererSide;

/** Main services for renderers, and the proxies main imports from one renderer. */
final class RsaITSupport {

    private RsaITSupport() {
    }

    /** Service properties that make a main service remotable (renderers whose whitelist names it import it). */
    static Hashtable<String, Object> remotable() {
        return new Hashtable<>(Map.of("service.exported.interfaces", "*"));
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
