package io.cordon.itests.failing;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A renderer bundle that cannot start: its renderer must end launch-failed with this message in the log. */
public final class FailingActivator implements BundleActivator {

    public static final String MESSAGE = "boom from a renderer bundle's activator";

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
