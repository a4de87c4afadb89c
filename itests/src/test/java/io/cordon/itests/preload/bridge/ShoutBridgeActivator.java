package io.cordon.itests.preload.bridge;

import java.util.Locale;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Shout;

/**
 * A preload bundle (start level 2) in Electron's contextBridge style: it sees main's raw Echo proxy and
 * registers its own curated {@link Shout}, which is not an imported service, for renderer bundles.
 */
public final class ShoutBridgeActivator implements BundleActivator {

    private ServiceTracker<Echo, Echo> echo;

    @Override
    public void start(BundleContext context) {
        echo = new ServiceTracker<>(context, Echo.class, null);
        echo.open();
        context.registerService(Shout.class, text -> echo().echo(text).toUpperCase(Locale.ROOT), null);
    }

    @Override
    public void stop(BundleContext context) {
        echo.close();
    }

    private Echo echo() {
        Echo e = echo.getService();
        if (e == null) {
            throw new IllegalStateException("the preload has no Echo proxy from main");
        }
        return e;
    }
}
