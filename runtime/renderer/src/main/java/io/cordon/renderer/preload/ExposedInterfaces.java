package io.cordon.renderer.preload;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.BundleTracker;

/**
 * The interfaces the preload bundles expose now: the union of the {@value ProxyVisibility#HEADER}
 * headers of the active (or lazily starting) bundles at the preload start level. Follows hot deploy: a
 * preload bundle installed, updated or uninstalled in the running renderer starts or stops, and this
 * set with it.
 */
final class ExposedInterfaces extends BundleTracker<Set<String>> {

    private final Map<Bundle, Set<String>> byBundle = new ConcurrentHashMap<>();
    private volatile Set<String> current = Set.of();

    ExposedInterfaces(BundleContext context) {
        super(context, Bundle.STARTING | Bundle.ACTIVE, null);
    }

    Set<String> current() {
        return current;
    }

    @Override
    public Set<String> addingBundle(Bundle bundle, BundleEvent event) {
        // The level is read as the bundle starts: main sets it right after installing, before starting it.
        if (bundle.adapt(BundleStartLevel.class).getStartLevel() != ProxyVisibility.PRELOAD_LEVEL) {
            return null;
        }
        Set<String> exposed = ProxyVisibility.parse(bundle.getHeaders("").get(ProxyVisibility.HEADER));
        byBundle.put(bundle, exposed);
        recompute();
        return exposed;
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Set<String> exposed) {
        byBundle.remove(bundle);
        recompute();
    }

    private synchronized void recompute() {
        current = byBundle.values().stream().flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
    }
}
