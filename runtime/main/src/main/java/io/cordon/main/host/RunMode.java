package io.cordon.main.host;

import java.util.Locale;

import org.osgi.framework.BundleContext;

import io.cordon.api.CordonRuntime;

/**
 * The one reader of the framework property {@value CordonRuntime#MODE_PROPERTY}: {@code dev}, in any
 * case, is development mode; anything else, or nothing, is production (dev-only escape hatches refused).
 */
public final class RunMode {

    private RunMode() {
    }

    public static boolean production(BundleContext context) {
        String mode = context.getProperty(CordonRuntime.MODE_PROPERTY);
        return mode == null || !"dev".equals(mode.strip().toLowerCase(Locale.ROOT));
    }
}
