package io.cordon.common.rsa;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * Endpoints whose import failed for want of a bundle exporting their API: each is tried again when a
 * bundle resolves.
 */
final class ApiWait implements BundleListener {

    private final BundleContext context;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Consumer<String> retry;

    /** @param retry imports the endpoint of that id again, if it is still known and not imported */
    ApiWait(BundleContext context, Consumer<String> retry) {
        this.context = context;
        this.retry = retry;
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

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.RESOLVED && !waiting.isEmpty()) {
            List.copyOf(waiting).forEach(retry);
        }
    }
}
