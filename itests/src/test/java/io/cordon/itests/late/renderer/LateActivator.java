package io.cordon.itests.late.renderer;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.cordon.itests.late.api.Late;

/** Offers a remotable {@link Late} to main. */
public class LateActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.exported.interfaces", "*");
        context.registerService(Late.class, () -> "late, but here", props);
    }

    @Override
    public void stop(BundleContext context) {
    }
}
