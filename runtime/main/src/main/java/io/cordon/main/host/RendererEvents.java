package io.cordon.main.host;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererListener;

/**
 * Delivers renderer events to {@link RendererListener}s and EventAdmin, in order, on one thread of its
 * own with a bounded queue: a slow listener delays events, never the supervisor.
 */
final class RendererEvents {

    private static final int QUEUE = 1024;

    private final Logger log;
    private final ThreadPoolExecutor thread;
    private final List<RendererListener> listeners = new CopyOnWriteArrayList<>();
    private volatile EventAdmin eventAdmin;

    RendererEvents(Logger log) {
        this.log = log;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> SupervisorThread.daemon(r, "cordon-renderer-events"),
                (r, e) -> log.warn("renderer event queue full ({}); an event was dropped", QUEUE));
    }

    void eventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    EventAdmin eventAdmin() {
        return eventAdmin;
    }

    void add(RendererListener listener) {
        listeners.add(listener);
    }

    void remove(RendererListener listener) {
        listeners.remove(listener);
    }

    void publish(RendererEvent.Kind kind, RendererInfo info, String detail) {
        RendererEvent event = new RendererEvent(kind, info, detail);
        thread.execute(() -> deliver(event));
    }

    /** Posts a hot-deploy event (already built) through EventAdmin, if there is one. */
    void post(Event event) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(event);
        }
    }

    void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(RendererEvent event) {
        for (RendererListener listener : listeners) {
            try {
                listener.rendererEvent(event);
            } catch (RuntimeException e) {
                log.error("renderer listener {} failed on {}: {}", listener, event.topic(), e.toString());
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> props = new HashMap<>();
            RendererInfo r = event.renderer();
            props.put("id", r.id());
            props.put("type", r.type());
            props.put("pid", r.pid());
            props.put("health", r.health().label());
            props.put("detail", event.detail());
            if (r.gone() != null) {
                props.put("reason", r.gone().label());
            }
            if (r.exitCode() != null) {
                props.put("exitCode", r.exitCode());
            }
            admin.postEvent(new Event(event.topic(), props));
        }
    }
}
