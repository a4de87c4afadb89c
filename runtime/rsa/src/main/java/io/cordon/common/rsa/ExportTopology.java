package io.cordon.common.rsa;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.remoteserviceadmin.ExportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteConstants;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The topology manager's export half: every service marked remotable
 * ({@code service.exported.interfaces}) is exported through Cordon's RSA, updated when its properties
 * change and closed when it leaves. Which peer sees an export is the distribution's decision.
 */
public final class ExportTopology extends ServiceTracker<Object, List<ExportRegistration>> {

    private final CordonRsa rsa;
    private final Consumer<String> problems;

    public ExportTopology(BundleContext context, CordonRsa rsa, Consumer<String> problems) {
        super(context, remotable(), null);
        this.rsa = rsa;
        this.problems = problems;
    }

    private static Filter remotable() {
        try {
            return FrameworkUtil.createFilter("(" + RemoteConstants.SERVICE_EXPORTED_INTERFACES + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<ExportRegistration> addingService(ServiceReference<Object> reference) {
        return new CopyOnWriteArrayList<>(export(reference));
    }

    private List<ExportRegistration> export(ServiceReference<Object> reference) {
        try {
            Collection<ExportRegistration> registrations = rsa.export(reference);
            // CordonRsa reports failed exports itself
            return registrations.stream().filter(r -> r.getException() == null).toList();
        } catch (IllegalArgumentException e) {
            problems.accept(e.getMessage());
            return List.of();
        }
    }

    /**
     * Exports every tracked service again, after a transport started: endpoints that exist are linked
     * anew (and the old registrations closed, so they stay), the new transport's are made.
     */
    public void refresh() {
        getTracked().forEach((reference, registrations) -> {
            List<ExportRegistration> old = List.copyOf(registrations);
            registrations.addAll(export(reference));
            old.forEach(ExportRegistration::close);
            registrations.removeAll(old);
        });
    }

    @Override
    public void modifiedService(ServiceReference<Object> reference, List<ExportRegistration> registrations) {
        registrations.forEach(r -> r.update(null));
    }

    @Override
    public void removedService(ServiceReference<Object> reference, List<ExportRegistration> registrations) {
        registrations.forEach(ExportRegistration::close);
    }
}
