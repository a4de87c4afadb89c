package io.cordon.itests.preload.renderer;

import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Lookout;
import io.cordon.itests.rsa.api.Shout;

/** A renderer bundle (start level 3) that reports what it sees, as a remotable {@link Lookout}. */
public final class LookoutActivator implements BundleActivator, Lookout {

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private BundleContext context;
    private ServiceTracker<Object, Object> echo;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                heard.add(((String[]) event.getServiceReference().getProperty(Constants.OBJECTCLASS))[0]);
            }
        });
        echo = new ServiceTracker<>(context, Echo.class.getName(), null);
        echo.open();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.exported.interfaces", "*");
        context.registerService(Lookout.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
        echo.close();
    }

    @Override
    public List<String> find(String interfaceName) {
        return describe(lookUp(context, interfaceName));
    }

    @Override
    public List<String> findAsSystemBundle(String interfaceName) {
        return describe(lookUp(context.getBundle(0).getBundleContext(), interfaceName));
    }

    @Override
    public List<String> tracking() {
        return describe(echo.getServiceReferences());
    }

    @Override
    public List<String> heard() {
        return List.copyOf(heard);
    }

    @Override
    public String shout(String text) {
        ServiceReference<Shout> ref = context.getServiceReference(Shout.class);
        if (ref == null) {
            throw new IllegalStateException("no Shout service: the preload did not register it");
        }
        return context.getService(ref).shout(text);
    }

    private static ServiceReference<?>[] lookUp(BundleContext lookingUp, String interfaceName) {
        try {
            return lookingUp.getServiceReferences(interfaceName, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> describe(ServiceReference<?>[] refs) {
        return refs == null ? List.of()
                : Arrays.stream(refs).map(ref -> ref.getProperty("service.imported") != null ? "imported" : "local").toList();
    }
}
