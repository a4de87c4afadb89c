package io.cordon.main.runtime;

import java.time.Instant;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.cordon.api.CordonRuntime;

/** The main framework's {@link CordonRuntime}: version facts and the production/dev mode. */
@Component(service = CordonRuntime.class, immediate = true, property = CordonRuntime.SETTLED + ":Boolean=true")
public final class RuntimeComponent implements CordonRuntime {

    private final String version;
    private final String frameworkVersion;
    private final boolean production;
    private final Instant startedAt = Instant.now();

    @Activate
    public RuntimeComponent(BundleContext context) {
        this.version = context.getBundle().getVersion().toString();
        this.frameworkVersion = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getVersion().toString();
        this.production = !"dev".equalsIgnoreCase(context.getProperty(MODE_PROPERTY));
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String frameworkVersion() {
        return frameworkVersion;
    }

    @Override
    public boolean production() {
        return production;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }
}
