package io.cordon.bench;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererListener;
import io.cordon.common.channel.StartupPhases;

/**
 * The start-up phases of each renderer, from its READY event's detail ({@link StartupPhases#format}).
 * Events arrive on Cordon's event thread, possibly after the spawn's promise resolved, hence the wait.
 */
final class StartupLog implements RendererListener, AutoCloseable {

    private static final long WAIT_MS = 5_000;

    private final Map<Integer, CompletableFuture<Map<String, Double>>> phases = new ConcurrentHashMap<>();
    private final ServiceRegistration<RendererListener> registration;

    StartupLog(BundleContext context) {
        this.registration = context.registerService(RendererListener.class, this, null);
    }

    @Override
    public void rendererEvent(RendererEvent event) {
        if (event.kind() == RendererEvent.Kind.READY) {
            future(event.renderer().id()).complete(StartupPhases.parse(event.detail()));
        }
    }

    /** The phases of renderer {@code id}'s last start, waiting for its READY event; removed once taken. */
    Map<String, Double> take(int id) throws Exception {
        try {
            return future(id).get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no READY event for renderer " + id + " within " + WAIT_MS + " ms");
        } finally {
            phases.remove(id);
        }
    }

    private CompletableFuture<Map<String, Double>> future(int id) {
        return phases.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
