package io.cordon.itests.greeter;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Supplier;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of the bundle the hot-deploy tests build and drop into the deploy folder. It registers
 * a {@code Supplier<String>} returning its bundle's {@value #HEADER} header: a JDK interface, so the
 * test and the deployed bundle share the type through the boot class loader, not through any wiring.
 */
public final class GreeterActivator implements BundleActivator {

    public static final String HEADER = "X-Greeting";
    /** Service property that tells the test's lookup this is the greeter. */
    public static final String MARKER = "cordon.itests.greeter";

    @Override
    public void start(BundleContext context) {
        String greeting = context.getBundle().getHeaders().get(HEADER);
        Supplier<String> greeter = () -> greeting;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MARKER, Boolean.TRUE);
        context.registerService(Supplier.class, greeter, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
