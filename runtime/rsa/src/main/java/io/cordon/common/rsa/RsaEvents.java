package io.cordon.common.rsa;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminEvent;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminListener;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Delivers RemoteServiceAdminEvents to every RemoteServiceAdminListener (whiteboard) and to a
 * side-specific sink (main maps them to EventAdmin), in order, one at a time, on the callback pool.
 */
public final class RsaEvents {

    private final ServiceTracker<RemoteServiceAdminListener, RemoteServiceAdminListener> listeners;
    private final Executor executor;
    private final Consumer<RemoteServiceAdminEvent> sink;
    private final Consumer<String> problems;

    /** @param problems where a failing listener is reported (the side's error log) */
    public RsaEvents(BundleContext context, Executor executor, Consumer<RemoteServiceAdminEvent> sink, Consumer<String> problems) {
        this.listeners = new ServiceTracker<>(context, RemoteServiceAdminListener.class, null);
        this.executor = new QuotaExecutor(executor, 1);
        this.sink = sink;
        this.problems = problems;
    }

    public void open() {
        listeners.open();
    }

    public void close() {
        listeners.close();
    }

    void post(RemoteServiceAdminEvent event) {
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            // stopping: nobody is left to tell
        }
    }

    private void deliver(RemoteServiceAdminEvent event) {
        for (RemoteServiceAdminListener listener : listeners.getServices(new RemoteServiceAdminListener[0])) {
            try {
                listener.remoteAdminEvent(event);
            } catch (RuntimeException e) {
                problems.accept("a RemoteServiceAdminListener failed: " + e);
            }
        }
        sink.accept(event);
    }
}
