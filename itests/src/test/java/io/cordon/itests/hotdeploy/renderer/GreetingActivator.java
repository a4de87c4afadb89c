package io.cordon.itests.hotdeploy.renderer;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.cordon.itests.hotdeploy.api.Greeting;

/**
 * The bundle RendererHotDeployIT drops into a renderer type's folder: registers a remotable Greeting
 * answering its bundle's {@value #HEADER} header and the renderer's id, so each version answers
 * differently through RSA.
 */
public final class GreetingActivator implements BundleActivator {

    public static final String HEADER = "X-Greeting";

    @Override
    public void start(BundleContext context) {
        String greeting = context.getBundle().getHeaders().get(HEADER) + " from renderer " + context.getProperty("cordon.renderer.id");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.exported.interfaces", "*");
        context.registerService(Greeting.class, () -> greeting, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
