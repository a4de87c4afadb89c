package io.cordon.itests;

import java.util.Collection;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import io.cordon.itests.rsa.api.RendererSide;

/** Finding a renderer's RendererSide proxy in main. */
final class RsaITSupport {

    private RsaITSupport() {
    }

    static ServiceReference<RendererSide> sideReference(BundleContext context, int rendererId) {
        return Poll.until("RendererSide of renderer " + rendererId, () -> {
            try {
                Collection<ServiceReference<RendererSide>> refs = context.getServiceReferences(RendererSide.class,
                        "(cordon.renderer.id=" + rendererId + ")");
                return refs.isEmpty() ? null : refs.iterator().next();
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static RendererSide side(BundleContext context, int rendererId) {
        return context.getService(sideReference(context, rendererId));
    }
}
