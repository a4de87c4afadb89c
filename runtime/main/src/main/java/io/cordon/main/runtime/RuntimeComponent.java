package io.cordon.main.runtime;

import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.cordon.api.CordonRuntime;
import io.cordon.main.host.RendererSupervisor;
import io.cordon.main.host.RunMode;

/**
 * The main framework's {@link CordonRuntime}. Registered by hand rather than by DS so that its
 * {@value CordonRuntime#SETTLED} property can turn true later, once the supervisor has settled.
 */
@Component(service = {}, immediate = true)
public final class RuntimeComponent implements CordonRuntime {

    private final String version;
    private final String frameworkVersion;
    private final boolean production;
    private final Instant startedAt = Instant.now();
    private final ServiceRegistration<CordonRuntime> registration;

    @Activate
    public RuntimeComponent(BundleContext context, @Reference RendererSupervisor supervisor) {
        this.version = mavenStyle(context.getBundle().getVersion());
        this.frameworkVersion = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getVersion().toString();
        this.production = RunMode.production(context);
        this.registration = context.registerService(CordonRuntime.class, this, settled(false));
        supervisor.whenSettled().thenRun(this::markSettled);
    }

    /** {@code 0.1.0-SNAPSHOT}, as the build, the launcher and the README spell it, not OSGi's {@code 0.1.0.SNAPSHOT}. */
    static String mavenStyle(Version version) {
        String release = version.getMajor() + "." + version.getMinor() + "." + version.getMicro();
        return version.getQualifier().isEmpty() ? release : release + "-" + version.getQualifier();
    }

    private void markSettled() {
        try {
            registration.setProperties(settled(true));
        } catch (IllegalStateException e) {
            // already unregistered: main stopped before start-up settled
        }
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // the framework already unregistered it
        }
    }

    private static Dictionary<String, Object> settled(boolean settled) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(SETTLED, settled);
        return properties;
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
