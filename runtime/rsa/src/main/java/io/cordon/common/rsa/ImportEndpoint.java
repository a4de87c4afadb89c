package io.cordon.common.rsa;

import java.util.List;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ImportReference;
import org.osgi.service.remoteserviceadmin.ImportRegistration;

/** One imported endpoint: its proxy registration, shared by the import registrations linked to it. */
final class ImportEndpoint extends Linked {

    /** Unregisters the proxy (the last registration closed) or applies an update to it. */
    interface Owner {
        void withdraw(ImportEndpoint endpoint);

        boolean update(ImportEndpoint endpoint, EndpointDescription updated);
    }

    private final RsaConnection connection;
    private final ImportedProxy handler;
    private final List<Class<?>> types;
    private final Owner owner;
    private volatile ServiceRegistration<?> proxy;
    /** The proxy's reference, kept: a registration's getReference() throws once it is unregistered. */
    private volatile ServiceReference<?> proxyReference;
    private volatile EndpointDescription description;

    ImportEndpoint(RsaConnection connection, ImportedProxy handler, List<Class<?>> types, EndpointDescription description,
                   Owner owner) {
        this.connection = connection;
        this.handler = handler;
        this.types = List.copyOf(types);
        this.description = description;
        this.owner = owner;
    }

    RsaConnection connection() {
        return connection;
    }

    ImportedProxy handler() {
        return handler;
    }

    EndpointDescription description() {
        return description;
    }

    void description(EndpointDescription updated) {
        this.description = updated;
    }

    ServiceRegistration<?> proxy() {
        return proxy;
    }

    void proxy(ServiceRegistration<?> registration) {
        this.proxy = registration;
        this.proxyReference = registration.getReference();
    }

    /** True when an interface of the proxy comes from a bundle revision that is no longer its bundle's current one. */
    boolean stale() {
        return types.stream().anyMatch(type -> {
            Bundle bundle = FrameworkUtil.getBundle(type);
            BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
            return bundle != null && (wiring == null || wiring.getClassLoader() != type.getClassLoader());
        });
    }

    ImportReference snapshot() {
        return new Snapshot(proxyReference, description);
    }

    @Override
    void withdraw() {
        owner.withdraw(this);
    }

    /** A new registration linked to this proxy, or null if it was unregistered meanwhile. */
    Reg register(Consumer<Registration> closed) {
        return link(new Reg(this, null, closed));
    }

    static Reg failed(Throwable exception, Consumer<Registration> closed) {
        return new Reg(null, exception, closed);
    }

    /** An import registration: its own reference, which answers null once this registration is closed. */
    static final class Reg extends Registration implements ImportRegistration {
        private final ImportEndpoint endpoint;
        private final ImportReference reference = new ImportReference() {
            @Override
            public ServiceReference<?> getImportedService() {
                return isClosed() ? null : endpoint.proxyReference;
            }

            @Override
            public EndpointDescription getImportedEndpoint() {
                return isClosed() ? null : endpoint.description;
            }
        };

        private Reg(ImportEndpoint endpoint, Throwable exception, Consumer<Registration> closed) {
            super(endpoint, exception, closed);
            this.endpoint = endpoint;
        }

        @Override
        public ImportReference getImportReference() {
            return live(reference);
        }

        @Override
        public boolean update(EndpointDescription updated) {
            requireOpen();
            if (!updated.getId().equals(endpoint.description.getId())) {
                throw new IllegalArgumentException("endpoint " + updated.getId() + " is not the endpoint this registration imported ("
                        + endpoint.description.getId() + ")");
            }
            return endpoint.owner.update(endpoint, updated);
        }
    }

    /** An import as it was at one moment: what events carry, so a listener still sees it after a close. */
    record Snapshot(ServiceReference<?> service, EndpointDescription endpoint) implements ImportReference {
        @Override
        public ServiceReference<?> getImportedService() {
            return service;
        }

        @Override
        public EndpointDescription getImportedEndpoint() {
            return endpoint;
        }
    }
}
