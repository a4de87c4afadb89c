package io.cordon.itests.failing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A renderer bundle that cannot start: its renderer must end launch-failed with this message in the log,
 * or with the one its {@value #MESSAGE_HEADER} header holds (base64: a manifest cannot carry control characters).
 */
public final class FailingActivator implements BundleActivator {

    public static final String MESSAGE = "boom from a renderer bundle's activator";
    public static final String MESSAGE_HEADER = "Failing-Message-Base64";

    @Override
    public void start(BundleContext context) {
        String message = context.getBundle().getHeaders().get(MESSAGE_HEADER);
        throw new IllegalStateException(message == null ? MESSAGE
                : new String(Base64.getDecoder().decode(message), StandardCharsets.UTF_8));
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
