package io.cordon.main.runtime;

import java.util.Locale;

import org.osgi.framework.BundleContext;

import io.cordon.api.CordonRuntime;

/** The one reading of {@value CordonRuntime#MODE_PROPERTY}: {@code dev} in any case is dev mode, anything else production. */
public final class Mode {

    private Mode() {
    }

    public static boolean production(BundleContext context) {
        String mode = context.getProperty(CordonRuntime.MODE_PROPERTY);
        return mode == null || !"dev".equals(mode.trim().toLowerCase(Locale.ROOT));
    }
}
