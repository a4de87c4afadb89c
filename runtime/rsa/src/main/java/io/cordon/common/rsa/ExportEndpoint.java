package io.cordon.common.rsa;

import java.util.Map;
import java.util.function.Consumer;

import org.osgi.framework.ServiceReference;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ExportReference;
import org.osgi.service.remoteserviceadmin.ExportRegistration;

/** One exported endpoint, shared by the export registrations linked to it. */
final class ExportEndpoint extends Linked {

    /** Withdraws the endpoint (the last registration closed) or rebuilds its description (an update). */
    interface Owner {
        void withdraw(ExportEndpoint endpoint);

        EndpointDescription update(ExportEndpoint endpoint, Map<String, ?> overrides);
    }

    private final ExportedService service;
    private final Owner owner;
    private volatile Map<String, ?> overrides;

    ExportEndpoint(ExportedService service, Map<String, ?> overrides, Owner owner) {
        this.service = service;
        this.overrides = overrides;
        this.owner = owner;
    }

    ExportedService service() {
        return service;
    }

    /** A reference that reads this endpoint as it is now (for getExportedServices and events). */
    ExportReference snapshot() {
        return new Snapshot(service.reference(), service.description());
    }

    /** Updates the description for every linked registration; null overrides keep the last ones. */
    synchronized EndpointDescription update(Map<String, ?> updated) {
        if (updated != null) {
            overrides = updated;
        }
        return owner.update(this, overrides);
    }

    @Override
    void withdraw() {
        owner.withdraw(this);
    }

    /** A new registration linked to this endpoint, or null if it was withdrawn meanwhile. */
    Reg register(Consumer<Registration> closed) {
        return link(new Reg(this, null, closed));
    }

    static Reg failed(Throwable exception, Consumer<Registration> closed) {
        return new Reg(null, exception, closed);
    }

    /** An export registration: its own reference, which answers null once this registration is closed. */
    static final class Reg extends Registration implements ExportRegistration {
        private final ExportEndpoint endpoint;
        private final ExportReference reference = new ExportReference() {
            @Override
            public ServiceReference<?> getExportedService() {
                return isClosed() ? null : endpoint.service.reference();
            }

            @Override
            public EndpointDescription getExportedEndpoint() {
                return isClosed() ? null : endpoint.service.description();
            }
        };

        private Reg(ExportEndpoint endpoint, Throwable exception, Consumer<Registration> closed) {
            super(endpoint, exception, closed);
            this.endpoint = endpoint;
        }

        ExportEndpoint endpoint() {
            return endpoint;
        }

        @Override
        public ExportReference getExportReference() {
            return live(reference);
        }

        @Override
        public EndpointDescription update(Map<String, ?> properties) {
            requireOpen();
            return endpoint.update(properties);
        }
    }

    /** An export as it was at one moment: what events carry, so a listener still sees it after a close. */
    record Snapshot(ServiceReference<?> service, EndpointDescription endpoint) implements ExportReference {
        @Override
        public ServiceReference<?> getExportedService() {
            return service;
        }

        @Override
        public EndpointDescription getExportedEndpoint() {
            return endpoint;
        }
    }
}
