package io.cordon.itests.slow;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * An honest but slow renderer bundle: it takes {@value #START_MS} ms to start, and its command
 * {@code slow:sleep MS} (run through cordon:exec) answers only after MS milliseconds.
 */
public class SlowActivator implements BundleActivator {

    static final long START_MS = 1_500;

    @Override
    public void start(BundleContext context) throws InterruptedException {
        Thread.sleep(START_MS);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "slow");
        props.put("osgi.command.function", new String[] {"sleep"});
        context.registerService(Object.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
    }

    public String sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return "slept " + ms + " ms";
    }
}
