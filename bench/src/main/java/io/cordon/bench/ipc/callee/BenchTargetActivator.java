package io.cordon.bench.ipc.callee;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

import io.cordon.bench.ipc.api.BenchSink;
import io.cordon.bench.ipc.api.BenchTarget;

/** Runs in the bench renderer (its jar is written by IpcBench): registers a remotable BenchTarget. */
public final class BenchTargetActivator implements BundleActivator, BenchTarget {

    /** Resolved promises whose callbacks run inline: the answer goes out without a hand-off in the renderer. */
    private final PromiseFactory promises = new PromiseFactory(PromiseFactory.inlineExecutor());
    private BundleContext context;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.exported.interfaces", "*");
        context.registerService(BenchTarget.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
    }

    @Override
    public String ping(String text) {
        return text;
    }

    @Override
    public Promise<String> pingAsync(String text) {
        return promises.resolved(text);
    }

    @Override
    public byte[] echo(byte[] data) {
        return data;
    }

    @Override
    public long[] callMain(int calls) {
        ServiceReference<BenchSink> ref = context.getServiceReference(BenchSink.class);
        if (ref == null) {
            throw new IllegalStateException("main's BenchSink is not visible in the renderer");
        }
        BenchSink sink = context.getService(ref);
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            sink.ping("honest");
            nanos[i] = System.nanoTime() - start;
        }
        context.ungetService(ref);
        return nanos;
    }
}
