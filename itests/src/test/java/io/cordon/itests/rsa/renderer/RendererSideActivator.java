package io.cordon.itests.rsa.renderer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.tracker.ServiceTracker;

import io.cordon.itests.rsa.api.BusyException;
import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Line;
import io.cordon.itests.rsa.api.RendererSide;

/** Runs in a renderer: registers a remotable RendererSide that also calls main's Echo. */
public class RendererSideActivator implements BundleActivator, RendererSide {

    private ServiceTracker<Echo, Echo> echo;
    private volatile ServiceRegistration<RendererSide> registration;
    private String id;

    @Override
    public void start(BundleContext context) {
        id = context.getProperty("cordon.renderer.id");
        echo = new ServiceTracker<>(context, Echo.class, null);
        echo.open();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.exported.interfaces", "*");
        props.put("osgi.basic.timeout", 3000L);
        registration = context.registerService(RendererSide.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
        echo.close();
    }

    private Echo echo() {
        try {
            Echo e = echo.waitForService(10_000);
            if (e == null) {
                throw new IllegalStateException("no Echo service imported from main");
            }
            return e;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String whoami() {
        return "renderer " + id;
    }

    @Override
    public String echoViaMain(String text) {
        return echo().echo(text);
    }

    @Override
    public Line stretchViaMain(Line line, int dx) {
        return echo().stretch(line, dx);
    }

    @Override
    public int length(byte[] data) {
        return data.length;
    }

    @Override
    public byte[] reverse(byte[] data) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[data.length - 1 - i];
        }
        return out;
    }

    @Override
    public Map<String, Integer> count(List<String> words) {
        Map<String, Integer> counts = new TreeMap<>();
        words.forEach(w -> counts.merge(w, 1, Integer::sum));
        return counts;
    }

    @Override
    public Promise<String> later(String text, long delayMs) {
        Deferred<String> d = new Deferred<>();
        new Thread(() -> {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            d.resolve("later:" + text);
        }).start();
        return d.getPromise();
    }

    @Override
    public CompletableFuture<Integer> square(int x) {
        return CompletableFuture.supplyAsync(() -> x * x);
    }

    @Override
    public String sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return "slept " + ms;
    }

    @Override
    public void fail(String kind, String message) throws BusyException {
        switch (kind) {
            case "iae" -> throw new IllegalArgumentException(message);
            case "ise" -> throw new IllegalStateException(message);
            case "npe" -> throw new NullPointerException(message);
            case "uoe" -> throw new UnsupportedOperationException(message);
            case "busy" -> throw new BusyException(message);
            default -> throw new UncheckedIOException(new IOException(message));
        }
    }

    @Override
    public void withdraw() {
        new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            registration.unregister();
        }).start();
    }
}
