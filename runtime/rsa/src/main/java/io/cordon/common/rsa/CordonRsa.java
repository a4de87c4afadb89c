package io.cordon.common.rsa;

import java.io.IOException;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ExportReference;
import org.osgi.service.remoteserviceadmin.ExportRegistration;
import org.osgi.service.remoteserviceadmin.ImportReference;
import org.osgi.service.remoteserviceadmin.ImportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteConstants;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;

import io.cordon.common.rsa.codec.Codec;

/**
 * Cordon's Remote Service Admin, the same in main and in each renderer: {@link Exports} builds
 * endpoints and hands them to the side's {@link Distribution}, which offers them on the connections
 * that may see them; {@link Imports} turns endpoints peers announce into proxies. The
 * {@code RemoteServiceAdmin} service is a service factory: each bundle gets its own view, and the
 * registrations it made close when it ungets the service (RSA 1.1, 122.4).
 */
public final class CordonRsa {

    /** What differs between main and a renderer: which connections see an export, and proxy tags. */
    public interface Distribution {
        /** The configuration types this side exports on, each with the properties under its prefix it defines. */
        Map<String, Set<String>> configTypes();

        /** Properties an endpoint of {@code configType} carries besides the service's (its address, say). */
        default Map<String, Object> endpointProperties(String configType) {
            return Map.of();
        }

        void exportAdded(ExportedService service);

        void exportUpdated(ExportedService service);

        void exportRemoved(ExportedService service);

        /** Extra properties of a proxy for an endpoint of this connection (main adds cordon.renderer.id). */
        Map<String, Object> importProperties(RsaConnection connection);

        /**
         * Connects on demand to the framework {@code endpoint} names, which then announces its endpoints;
         * for transports that have addresses (cordon.socket). Blocks until it has or fails.
         */
        default void connect(EndpointDescription endpoint) throws IOException {
            throw new IOException("endpoint " + endpoint.getId() + " was not announced on any Cordon connection");
        }
    }

    private final BundleContext context;
    private final Codec codec;
    private final Distribution distribution;
    private final String uuid;
    private final Registrations topology = new Registrations();
    private final Exports exports;
    private final Imports imports;

    /** @param problems where failed exports and imports are reported (the side's error log) */
    public CordonRsa(BundleContext context, Codec codec, Distribution distribution, RsaEvents events, Consumer<String> problems) {
        this.context = context;
        this.codec = codec;
        this.distribution = distribution;
        this.uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        this.exports = new Exports(context, codec, distribution, events, problems);
        this.imports = new Imports(context, codec, distribution, events, problems, topology);
    }

    public String frameworkUuid() {
        return uuid;
    }

    public Codec codec() {
        return codec;
    }

    /** Registers the RemoteServiceAdmin service, a service factory; {@link #properties()} describe it. */
    public ServiceRegistration<RemoteServiceAdmin> register() {
        return context.registerService(RemoteServiceAdmin.class, new ServiceFactory<>() {
            @Override
            public RemoteServiceAdmin getService(Bundle bundle, ServiceRegistration<RemoteServiceAdmin> registration) {
                return new BundleView();
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<RemoteServiceAdmin> registration, RemoteServiceAdmin service) {
                ((BundleView) service).registrations.closeAll();
            }
        }, properties());
    }

    /** The RemoteServiceAdmin service's properties: the configuration types and intents it supports now. */
    public Dictionary<String, Object> properties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(RemoteConstants.REMOTE_CONFIGS_SUPPORTED, distribution.configTypes().keySet().toArray(String[]::new));
        p.put(RemoteConstants.REMOTE_INTENTS_SUPPORTED, EndpointProperties.INTENTS.toArray(String[]::new));
        return p;
    }

    /** Closes every export and import (the RSA bundle is stopping). */
    public void close() {
        imports.close();
        exports.close();
    }

    /** Cordon's own topology: exports what is remotable, on the configuration types it asks for. */
    Collection<ExportRegistration> export(ServiceReference<?> reference) {
        return exports.export(reference, null, topology);
    }

    /** Closes every export of configuration type {@code configType} (its transport stopped). */
    public void closeExports(String configType) {
        exports.closeAll(configType);
    }

    /** Every live export on the renderer channel's configuration type, for the side's distribution. */
    public List<ExportedService> exports() {
        return exports.live(EndpointProperties.CHANNEL_CONFIG);
    }

    /** Every live export of configuration type {@code configType}. */
    public List<ExportedService> exports(String configType) {
        return exports.live(configType);
    }

    /**
     * A peer announced, updated or withdrew an endpoint on {@code connection}; {@code frameworkUuid} is
     * what the connection says the peer is. Announced endpoints are imported at once (Cordon is its own
     * topology manager: whatever a peer may see, it gets).
     */
    public void announced(RsaConnection connection, String frameworkUuid, EndpointMessage message) {
        announced(connection, frameworkUuid, EndpointProperties.CHANNEL_CONFIG, message);
    }

    /**
     * As {@link #announced(RsaConnection, String, EndpointMessage)}, on a connection of {@code configType}.
     * Only the renderer channel's endpoints are imported at once; others wait for an importService call.
     */
    public void announced(RsaConnection connection, String frameworkUuid, String configType, EndpointMessage message) {
        imports.announced(connection, frameworkUuid, configType, message);
    }

    /** The connection is gone: every endpoint it brought is withdrawn. */
    public void disconnected(RsaConnection connection) {
        imports.disconnected(connection);
    }

    /** One bundle's RemoteServiceAdmin: the registrations it makes are its own. */
    private final class BundleView implements RemoteServiceAdmin {
        private final Registrations registrations = new Registrations();

        @Override
        public Collection<ExportRegistration> exportService(ServiceReference<?> reference, Map<String, ?> properties) {
            return exports.export(reference, properties, registrations);
        }

        @Override
        public ImportRegistration importService(EndpointDescription endpoint) {
            if (endpoint.getConfigurationTypes().stream().noneMatch(distribution.configTypes()::containsKey)) {
                return null;
            }
            return imports.importService(endpoint, registrations);
        }

        @Override
        public Collection<ExportReference> getExportedServices() {
            return exports.references();
        }

        @Override
        public Collection<ImportReference> getImportedEndpoints() {
            return imports.references();
        }
    }
}
