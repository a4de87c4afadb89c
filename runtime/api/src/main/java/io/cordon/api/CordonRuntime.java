package io.cordon.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running Cordon main framework. Registered once per main framework; the service carries
 * {@value #SETTLED} {@code =true} once start-up has settled, which is what scripted mode waits for.
 */
@ProviderType
public interface CordonRuntime {

    /** Service property set to {@code true} once start-up has settled. */
    String SETTLED = "cordon.settled";

    /** Framework property naming the mode: {@code production} (the default) or {@code dev}. */
    String MODE_PROPERTY = "cordon.mode";

    /** Cordon's own version, as its bundles declare it. */
    String version();

    /** Version of the OSGi framework implementation hosting main. */
    String frameworkVersion();

    /** True unless the launcher runs in dev mode; dev-only escape hatches are refused in production. */
    boolean production();

    /** When the main framework's Cordon runtime became active. */
    Instant startedAt();
}
