package io.cordon.bench.ipc.callee;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.cordon.bench.ipc.api.BenchTarget;

/** Runs in the bench renderer (its jar is written by IpcBench): registers a remotable BenchTarget. */
public final class BenchTargetActivator implements BundleActivator, BenchTarget {

    @Override
    public void start(BundleContext context) {
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
    public byte[] echo(byte[] data) {
        return data;
    }
}
