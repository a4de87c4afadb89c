package io.cordon.itests.socket.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

import io.cordon.itests.socket.api.Remote;

/** Runs in the peer framework: registers a Remote that asks to be exported on cordon.socket only. */
public class RemoteActivator implements BundleActivator, Remote {

    private final PromiseFactory promises = new PromiseFactory(null);
    private volatile ServiceRegistration<Remote> registration;
    private final Hashtable<String, Object> properties = new Hashtable<>(Map.of(
            "service.exported.interfaces", "*", "service.exported.configs", "cordon.socket", "tag", "first"));

    @Override
    public void start(BundleContext context) {
        registration = context.registerService(Remote.class, this, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }

    @Override
    public String echo(String text) {
        return "echo:" + text;
    }

    @Override
    public List<Integer> lengths(List<String> words) {
        return words.stream().map(String::length).toList();
    }

    @Override
    public CompletableFuture<String> later(String text, int ms) {
        return CompletableFuture.supplyAsync(() -> "later:" + text, CompletableFuture.delayedExecutor(ms, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Override
    public Promise<Integer> square(int x) {
        return promises.resolved(x * x);
    }

    @Override
    public int fail(String kind) {
        if (kind.equals("iae")) {
            throw new IllegalArgumentException("bad " + kind);
        }
        throw new UncheckedIOException(new IOException("disk " + kind));
    }

    @Override
    public synchronized void tag(String value) {
        properties.put("tag", value);
        registration.setProperties(properties);
    }
}
