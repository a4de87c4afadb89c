package io.cordon.common.rsa;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * Endpoints whose import failed for want of a bundle exporting their API, tried again whenever a bundle
 * resolves.
 */
final class ApiWait implements BundleListener {

    private final BundleContext context;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Runnable resolved;

    /** @param resolved told when a bundle resolved (imports the waiting endpoints it can) */
    ApiWait(BundleContext context, Runnable resolved) {
        this.context = context;
        this.resolved = resolved;
        context.addBundleListener(this);
    }

    void close() {
        context.removeBundleListener(this);
        waiting.clear();
    }

    void add(String endpointId) {
        waiting.add(endpointId);
    }

    void remove(String endpointId) {
        waiting.remove(endpointId);
    }

    void retainAll(Set<String> endpointIds) {
        waiting.retainAll(endpointIds);
    }

    List<String> ids() {
        return List.copyOf(waiting);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.RESOLVED) {
            resolved.run();
        }
    }
}
