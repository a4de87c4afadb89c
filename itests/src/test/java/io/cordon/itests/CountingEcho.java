package io.cordon.itests;

import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Line;

/** Main's Echo for tests that only need it to answer: {@code echo:TEXT}, counting the echoes it served. */
final class CountingEcho implements Echo {

    final AtomicInteger echoes = new AtomicInteger();

    /** Registers it in main as a remotable service. */
    ServiceRegistration<Echo> register(BundleContext context) {
        return context.registerService(Echo.class, this, RsaITSupport.remotable());
    }

    @Override
    public String echo(String text) {
        echoes.incrementAndGet();
        return "echo:" + text;
    }

    @Override
    public Line stretch(Line line, int dx) {
        return line;
    }

    @Override
    public String secret() {
        return "not for renderers";
    }
}
