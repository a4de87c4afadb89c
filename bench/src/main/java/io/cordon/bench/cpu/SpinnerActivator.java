package io.cordon.bench.cpu;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Runs in a renderer of bench:cpu: one busy thread per CPU the JVM sees, until the bundle stops. */
public class SpinnerActivator implements BundleActivator {

    private final List<Thread> spinners = new ArrayList<>();
    private volatile boolean spinning = true;
    /** Written so the loop is not optimised away. */
    public static volatile long sink;

    @Override
    public void start(BundleContext context) {
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(this::spin, "spinner-" + i);
            t.setDaemon(true);
            t.start();
            spinners.add(t);
        }
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        spinning = false;
        for (Thread t : spinners) {
            t.join();
        }
    }

    private void spin() {
        long x = 1;
        while (spinning) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        sink = x;
    }
}
