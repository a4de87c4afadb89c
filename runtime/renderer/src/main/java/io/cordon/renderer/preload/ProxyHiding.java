package io.cordon.renderer.preload;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.osgi.framework.startlevel.BundleStartLevel;

import io.cordon.common.channel.Contract;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Hides the raw proxies of main's services from renderer bundles, unless a preload bundle exposes them
 * ({@link ProxyVisibility} has the rule): the contextBridge of Electron. A preload that looks up a proxy
 * and registers its own curated service needs nothing from here, since its service is not imported.
 *
 * <p>This is least privilege and API hygiene, not a security boundary: code in a renderer can still
 * reach a proxy it was not shown (a reference handed over by another bundle, the RSA internals, the
 * channel itself). What a renderer may call is enforced in main.
 *
 * <p>Exposure is decided at each lookup and each service event, from the preload bundles active at that
 * moment. A tracker opened before a proxy became visible missed its registration event and finds it once
 * its bundle restarts. Unregistration events are never withheld, so a proxy that becomes hidden still
 * leaves the trackers that hold it when it goes. A renderer of a {@code trusted} type (framework property
 * {@value #TRUSTED_PROPERTY}, set by main) hides nothing.
 */
@Component(immediate = true, service = {FindHook.class, EventListenerHook.class})
public final class ProxyHiding implements FindHook, EventListenerHook {

    static final String TRUSTED_PROPERTY = Contract.RENDERER_TRUSTED;

    private static final int MAX_REPORTS = 256;

    private final boolean trusted;
    private final ExposedInterfaces exposed;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Activate
    public ProxyHiding(BundleContext context) {
        this.trusted = Boolean.parseBoolean(context.getProperty(TRUSTED_PROPERTY));
        this.exposed = new ExposedInterfaces(context);
        exposed.open();
        if (trusted) {
            // The renderer's stderr is its log, relayed by main with the renderer's id.
            System.err.println("cordon-renderer: preload: the renderer type is trusted: imported main services are NOT hidden "
                    + "from renderer bundles, Cordon-Expose or not (development only)");
        }
    }

    @Deactivate
    void deactivate() {
        exposed.close();
    }

    @Override
    public void find(BundleContext viewer, String name, String filter, boolean allServices,
                     Collection<ServiceReference<?>> references) {
        if (trusted) {
            return;
        }
        int level = startLevel(viewer);
        Set<String> now = exposed.current();
        references.removeIf(reference -> {
            boolean hide = !visible(level, reference, now);
            if (hide) {
                reportOnce(viewer, reference);
            }
            return hide;
        });
    }

    /** One line per bundle and proxy, so "my service never appears" has an answer in the log. */
    private void reportOnce(BundleContext viewer, ServiceReference<?> reference) {
        String interfaces = String.join(",", (String[]) reference.getProperty(Constants.OBJECTCLASS));
        String bundle = viewer.getBundle().getSymbolicName();
        if (reported.size() < MAX_REPORTS && reported.add(bundle + " " + interfaces)) {
            System.err.println("cordon-renderer: preload: main's proxy of " + interfaces + " is hidden from renderer bundle "
                    + bundle + "; a preload bundle shares it by registering a service of its own, or with the manifest header "
                    + ProxyVisibility.HEADER + ": " + interfaces);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        // UNREGISTERING and MODIFIED_ENDMATCH go to everyone: a listener that never had the service ignores them.
        if (trusted || (event.getType() != ServiceEvent.REGISTERED && event.getType() != ServiceEvent.MODIFIED)) {
            return;
        }
        ServiceReference<?> reference = event.getServiceReference();
        Set<String> now = exposed.current();
        listeners.keySet().removeIf(viewer -> !visible(startLevel(viewer), reference, now));
    }

    private static boolean visible(int viewerLevel, ServiceReference<?> reference, Set<String> exposed) {
        return ProxyVisibility.visible(viewerLevel, reference.getProperty(ProxyVisibility.IMPORTED) != null,
                (String[]) reference.getProperty(Constants.OBJECTCLASS), exposed);
    }

    private static int startLevel(BundleContext viewer) {
        try {
            Bundle bundle = viewer.getBundle();
            return bundle.getBundleId() == 0 ? 0 : bundle.adapt(BundleStartLevel.class).getStartLevel();
        } catch (IllegalStateException | IllegalArgumentException e) {
            return ProxyVisibility.UNKNOWN_LEVEL;
        }
    }
}
