package io.cordon.itests;

import java.util.Arrays;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Lookups over the installed bundles. */
final class Bundles {

    private Bundles() {
    }

    /** The installed bundle with this symbolic name, or null. */
    static Bundle bySymbolicName(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst()
                .orElse(null);
    }
}
