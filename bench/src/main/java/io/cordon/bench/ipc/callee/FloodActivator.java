package io.cordon.bench.ipc.callee;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

import io.cordon.bench.ipc.api.BenchSink;

/**
 * Runs in bench:ipc's flooding renderer: as many threads as the machine has cores call main's BenchSink
 * back to back until the bundle stops. Refused or failed calls are counted, not fatal.
 */
public final class FloodActivator implements BundleActivator {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private ServiceTracker<BenchSink, BenchSink> tracker;

    @Override
    public void start(BundleContext context) {
        tracker = new ServiceTracker<>(context, BenchSink.class, null);
        tracker.open();
        for (int i = 0; i < Math.max(2, Runtime.getRuntime().availableProcessors()); i++) {
            Thread t = new Thread(this::flood, "bench-flood-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private void flood() {
        while (running) {
            BenchSink sink = tracker.getService();
            try {
                if (sink == null) {
                    Thread.sleep(10);
                } else {
                    sink.ping("flood");
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // refused above the rate, or main going: go on flooding
            }
        }
    }

    @Override
    public void stop(BundleContext context) {
        running = false;
        threads.forEach(Thread::interrupt);
        tracker.close();
    }
}
