package io.cordon.bench.payload;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Not used by the bench bundle itself: the activator of the small bundle {@code bench:hotdeploy}
 * builds and drops into a renderer type's folder, again and again. It registers one service, as a
 * typical renderer bundle does, so "active" includes a service registration.
 */
public final class PayloadActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("bench.payload.version", context.getBundle().getVersion().toString());
        context.registerService(Runnable.class, () -> { }, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
