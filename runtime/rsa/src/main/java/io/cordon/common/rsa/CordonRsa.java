package io.cordon.common.rsa;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ExportReference;
import org.osgi.service.remoteserviceadmin.ExportRegistration;
import org.osgi.service.remoteserviceadmin.ImportReference;
import org.osgi.service.remoteserviceadmin.ImportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteConstants;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminEvent;

import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.InterfaceCodec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.UnsupportedTypeException;

/**
 * Cordon's RemoteServiceAdmin, the same in main and in each renderer: exports build an endpoint with
 * a method table and hand it to the side's {@link Distribution}, which announces it on the channels
 * that may see it; endpoints announced by a peer are imported as proxies. Only endpoints with
 * configuration type {@value EndpointProperties#CONFIG_TYPE} are handled.
 */
public final class CordonRsa implements RemoteServiceAdmin {

    /** What differs between main and a renderer: which channels see an export, and proxy tags. */
    public interface Distribution {
        void exportAdded(ExportedService service);

        void exportUpdated(ExportedService service);

        void exportRemoved(ExportedService service);

        /** Extra properties of a proxy for an endpoint of this connection (main adds cordon.renderer.id). */
        Map<String, Object> importProperties(RsaConnection connection);
    }

    private final BundleContext context;
    private final Codec codec;
    private final Distribution distribution;
    private final RsaEvents events;
    private final java.util.function.Consumer<String> problems;
    private final String uuid;
    private final Map<Long, Export> exports = new ConcurrentHashMap<>();
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Import> imports = new ConcurrentHashMap<>();
    /** Announced endpoints whose API no bundle here exported yet: imported when one resolves. */
    private final Set<String> waitingForApi = ConcurrentHashMap.newKeySet();
    private final ServiceListener unregistering = this::serviceChanged;
    private final BundleListener resolved = this::bundleChanged;

    /** An endpoint a peer announced: where it lives and what it may be called with. */
    private record Known(RsaConnection connection, EndpointMessage message, EndpointDescription description) {
    }

    /** @param problems where failed exports and imports are reported (the side's error log) */
    public CordonRsa(BundleContext context, Codec codec, Distribution distribution, RsaEvents events,
                     java.util.function.Consumer<String> problems) {
        this.context = context;
        this.problems = problems;
        this.codec = codec;
        this.distribution = distribution;
        this.events = events;
        this.uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        context.addServiceListener(unregistering);
        context.addBundleListener(resolved);
    }

    public String frameworkUuid() {
        return uuid;
    }

    public Codec codec() {
        return codec;
    }

    /** Closes every export and import (the RSA bundle is stopping). */
    public void close() {
        context.removeServiceListener(unregistering);
        context.removeBundleListener(resolved);
        new ArrayList<>(imports.values()).forEach(Import::closeAll);
        new ArrayList<>(exports.values()).forEach(Export::closeAll);
    }

    // ---- export ----

    @Override
    public Collection<ExportRegistration> exportService(ServiceReference<?> reference, Map<String, ?> overrides) {
        Map<String, Object> props = EndpointProperties.merge(properties(reference), overrides);
        List<String> objectClass = EndpointProperties.strings(props.get(Constants.OBJECTCLASS));
        List<String> wanted = EndpointProperties.strings(props.get(RemoteConstants.SERVICE_EXPORTED_INTERFACES));
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("service " + props.get(Constants.SERVICE_ID) + " " + objectClass
                    + " has no service.exported.interfaces; set it to the interfaces to export (or *)");
        }
        List<String> interfaces = wanted.equals(List.of("*")) ? objectClass : wanted;
        if (!objectClass.containsAll(interfaces)) {
            throw new IllegalArgumentException("service.exported.interfaces " + interfaces + " names interfaces the service "
                    + objectClass + " is not registered under");
        }
        List<String> configs = EndpointProperties.strings(props.get(RemoteConstants.SERVICE_EXPORTED_CONFIGS));
        if (!configs.isEmpty() && !configs.contains(EndpointProperties.CONFIG_TYPE)) {
            return List.of();
        }
        Set<String> intents = new LinkedHashSet<>();
        intents.addAll(EndpointProperties.strings(props.get(RemoteConstants.SERVICE_EXPORTED_INTENTS)));
        intents.addAll(EndpointProperties.strings(props.get(RemoteConstants.SERVICE_EXPORTED_INTENTS_EXTRA)));
        intents.addAll(EndpointProperties.strings(props.get(RemoteConstants.SERVICE_INTENTS)));
        if (!EndpointProperties.INTENTS.containsAll(intents)) {
            return List.of();
        }
        synchronized (this) {
            Long serviceId = (Long) props.get(Constants.SERVICE_ID);
            Export existing = exports.get(serviceId);
            if (existing != null) {
                return List.of(existing.register());
            }
            try {
                ExportedService service = exported(reference, interfaces, props);
                Export export = new Export(service);
                exports.put(serviceId, export);
                ExportRegistration registration = export.register();
                events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_REGISTRATION, context.getBundle(),
                        registration.getExportReference(), null));
                distribution.exportAdded(service);
                return List.of(registration);
            } catch (ClassNotFoundException | UnsupportedTypeException | RuntimeException e) {
                problems.accept("cannot export service " + serviceId + " " + interfaces + ": " + e.getMessage());
                FailedExport failed = new FailedExport(e);
                events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_ERROR, context.getBundle(),
                        (ExportReference) null, e));
                return List.of(failed);
            }
        }
    }

    private ExportedService exported(ServiceReference<?> reference, List<String> interfaces, Map<String, Object> props)
            throws ClassNotFoundException, UnsupportedTypeException {
        Bundle owner = reference.getBundle();
        if (owner == null) {
            throw new IllegalStateException("service " + props.get(Constants.SERVICE_ID) + " is unregistered");
        }
        List<MethodCodec> table = new ArrayList<>();
        Map<String, Set<String>> owners = new LinkedHashMap<>();
        Map<String, String> packageVersions = new LinkedHashMap<>();
        for (String name : interfaces) {
            Class<?> type = owner.loadClass(name);
            InterfaceCodec ic = codec.forInterface(type);
            for (MethodCodec m : ic.methods()) {
                if (!owners.containsKey(m.signature())) {
                    table.add(m);
                }
                owners.computeIfAbsent(m.signature(), s -> new LinkedHashSet<>()).add(name);
            }
            String pkg = type.getPackageName();
            packageVersions.put(pkg, packageVersion(type, pkg).toString());
        }
        return new ExportedService(reference, context, table, new ArrayList<>(owners.values()), packageVersions,
                description(props, interfaces, packageVersions));
    }

    private EndpointDescription description(Map<String, Object> props, List<String> interfaces, Map<String, String> packageVersions) {
        Map<String, Object> p = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (!k.startsWith("service.exported.") && !k.startsWith(".")) {
                p.put(k, v);
            }
        });
        long serviceId = (Long) props.get(Constants.SERVICE_ID);
        p.put(Constants.OBJECTCLASS, interfaces.toArray(String[]::new));
        p.put(RemoteConstants.ENDPOINT_ID, EndpointProperties.endpointId(uuid, serviceId));
        p.put(RemoteConstants.ENDPOINT_SERVICE_ID, serviceId);
        p.put(RemoteConstants.ENDPOINT_FRAMEWORK_UUID, uuid);
        p.put(RemoteConstants.SERVICE_IMPORTED_CONFIGS, new String[] {EndpointProperties.CONFIG_TYPE});
        p.put(RemoteConstants.SERVICE_INTENTS, EndpointProperties.INTENTS.toArray(String[]::new));
        packageVersions.forEach((pkg, v) -> p.put(RemoteConstants.ENDPOINT_PACKAGE_VERSION_ + pkg, v));
        return new EndpointDescription(p);
    }

    /** The version of {@code pkg} as exported by the bundle that defines {@code type}, 0.0.0 when private. */
    private static Version packageVersion(Class<?> type, String pkg) {
        Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(type);
        BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (pkg.equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    Object v = c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
                    return v instanceof Version version ? version : Version.emptyVersion;
                }
            }
        }
        return Version.emptyVersion;
    }

    private void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            Export export = exports.get((Long) event.getServiceReference().getProperty(Constants.SERVICE_ID));
            if (export != null) {
                export.closeAll();
            }
        }
    }

    @Override
    public Collection<ExportReference> getExportedServices() {
        List<ExportReference> out = new ArrayList<>();
        exports.values().forEach(e -> out.add(e.reference));
        return out;
    }

    /** Every live export, for the side's distribution (a new channel gets them all). */
    public List<ExportedService> exports() {
        return exports.values().stream().map(e -> e.service).toList();
    }

    // ---- import ----

    /**
     * A peer announced, updated or withdrew an endpoint on {@code connection}; {@code frameworkUuid} is
     * what the channel says the peer is. Announced endpoints are imported at once (Cordon is its own
     * topology manager: whatever a peer may see, it gets).
     */
    public void announced(RsaConnection connection, String frameworkUuid, EndpointMessage message) {
        String id = EndpointProperties.endpointId(frameworkUuid, message.handle());
        switch (message.op()) {
            case EndpointMessage.ADD, EndpointMessage.UPDATE -> {
                EndpointDescription description = new EndpointDescription(EndpointProperties.imported(message, frameworkUuid));
                known.put(id, new Known(connection, message, description));
                Import existing = imports.get(id);
                if (existing != null) {
                    existing.update(description);
                } else {
                    importService(description);
                }
            }
            case EndpointMessage.REMOVE -> {
                known.remove(id);
                waitingForApi.remove(id);
                Import existing = imports.get(id);
                if (existing != null) {
                    existing.closeAll();
                }
            }
            default -> throw new IllegalArgumentException("unknown endpoint op '" + message.op() + "'");
        }
    }

    /** The channel is gone: every endpoint it brought is withdrawn. */
    public void disconnected(RsaConnection connection) {
        known.entrySet().removeIf(e -> e.getValue().connection() == connection);
        waitingForApi.retainAll(known.keySet());
        new ArrayList<>(imports.values()).stream().filter(i -> i.connection == connection).forEach(Import::closeAll);
    }

    @Override
    public ImportRegistration importService(EndpointDescription endpoint) {
        if (!endpoint.getConfigurationTypes().contains(EndpointProperties.CONFIG_TYPE)) {
            return null;
        }
        synchronized (this) {
            Import existing = imports.get(endpoint.getId());
            if (existing != null) {
                return existing.register();
            }
            Known k = known.get(endpoint.getId());
            try {
                if (k == null) {
                    throw new IllegalStateException("endpoint " + endpoint.getId() + " was not announced on any Cordon channel");
                }
                Import imported = new Import(k);
                imports.put(endpoint.getId(), imported);
                waitingForApi.remove(endpoint.getId());
                ImportRegistration registration = imported.register();
                events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_REGISTRATION, context.getBundle(),
                        registration.getImportReference(), null));
                return registration;
            } catch (ClassNotFoundException e) {
                waitingForApi.add(endpoint.getId());
                return failedImport(endpoint, e, " (imported as soon as such a bundle resolves)");
            } catch (UnsupportedTypeException | RuntimeException e) {
                waitingForApi.remove(endpoint.getId());
                return failedImport(endpoint, e, "");
            }
        }
    }

    private ImportRegistration failedImport(EndpointDescription endpoint, Exception e, String next) {
        problems.accept("cannot import endpoint " + endpoint.getId() + " " + endpoint.getInterfaces() + ": " + e.getMessage() + next);
        events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_ERROR, context.getBundle(), (ImportReference) null, e));
        return new FailedImport(e);
    }

    /**
     * A bundle resolved: endpoints that waited for an API may import now, and proxies built on an API
     * revision that a refresh replaced (an API bundle updated in place) are built again on the current one;
     * a stale proxy implements interfaces no bundle wired to the new revision can use.
     */
    private void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.RESOLVED) {
            return;
        }
        // Under the lock importService takes, so an import made meanwhile is not registered a second time.
        synchronized (this) {
            for (Import stale : imports.values().stream().filter(Import::stale).toList()) {
                stale.closeAll();
                waitingForApi.add(stale.description.getId());
            }
            for (String id : List.copyOf(waitingForApi)) {
                Known k = known.get(id);
                if (k != null && !imports.containsKey(id)) {
                    importService(k.description());
                }
            }
        }
    }

    @Override
    public Collection<ImportReference> getImportedEndpoints() {
        List<ImportReference> out = new ArrayList<>();
        imports.values().forEach(i -> out.add(i.reference));
        return out;
    }

    /** A class for {@code name} from a bundle exporting its package in a version the endpoint accepts. */
    private Class<?> localClass(String name, EndpointDescription endpoint) throws ClassNotFoundException {
        String pkg = name.substring(0, Math.max(0, name.lastIndexOf('.')));
        Version remote = endpoint.getPackageVersion(pkg);
        VersionRange range = new VersionRange(VersionRange.LEFT_CLOSED, remote, new Version(remote.getMajor() + 1, 0, 0), VersionRange.RIGHT_OPEN);
        Bundle exporter = exporter(pkg, range);
        if (exporter == null) {
            // In a renderer, imports arrive at start level 1, before the preload bundles are resolved.
            context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).resolveBundles(null);
            exporter = exporter(pkg, range);
        }
        if (exporter == null) {
            throw new ClassNotFoundException(name + ": no bundle here exports package " + pkg + " in " + range
                    + "; install the bundle with that API (for a renderer: in its type's preload or bundles)");
        }
        return exporter.loadClass(name);
    }

    private Bundle exporter(String pkg, VersionRange range) {
        Bundle best = null;
        Version bestVersion = null;
        for (Bundle b : context.getBundles()) {
            BundleWiring wiring = b.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                Object v = c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
                Version version = v instanceof Version ver ? ver : Version.emptyVersion;
                if (pkg.equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)) && range.includes(version)
                        && (bestVersion == null || version.compareTo(bestVersion) > 0)) {
                    best = b;
                    bestVersion = version;
                }
            }
        }
        return best;
    }

    private static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> p = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            p.put(key, reference.getProperty(key));
        }
        return p;
    }

    // ---- registrations ----

    /** One exported service; shared by every ExportRegistration for it, withdrawn when the last closes. */
    private final class Export {
        final ExportedService service;
        final ExportReference reference;
        final Set<ExportRegistration> registrations = ConcurrentHashMap.newKeySet();

        Export(ExportedService service) {
            this.service = service;
            this.reference = new ExportReference() {
                @Override
                public ServiceReference<?> getExportedService() {
                    return service.reference();
                }

                @Override
                public EndpointDescription getExportedEndpoint() {
                    return service.description();
                }
            };
        }

        ExportRegistration register() {
            ExportRegistration r = new ExportRegistration() {
                private volatile boolean closed;

                @Override
                public ExportReference getExportReference() {
                    return closed ? null : reference;
                }

                @Override
                public EndpointDescription update(Map<String, ?> properties) {
                    return closed ? null : Export.this.update(properties);
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        release(this);
                    }
                }

                @Override
                public Throwable getException() {
                    return null;
                }
            };
            registrations.add(r);
            return r;
        }

        synchronized EndpointDescription update(Map<String, ?> overrides) {
            Map<String, Object> props = EndpointProperties.merge(properties(service.reference()), overrides);
            service.description(description(props, service.description().getInterfaces(), packageVersions()));
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_UPDATE, context.getBundle(), reference, null));
            distribution.exportUpdated(service);
            return service.description();
        }

        private Map<String, String> packageVersions() {
            Map<String, String> out = new LinkedHashMap<>();
            service.description().getProperties().forEach((k, v) -> {
                if (k.startsWith(RemoteConstants.ENDPOINT_PACKAGE_VERSION_)) {
                    out.put(k.substring(RemoteConstants.ENDPOINT_PACKAGE_VERSION_.length()), String.valueOf(v));
                }
            });
            return out;
        }

        void release(ExportRegistration r) {
            if (registrations.remove(r) && registrations.isEmpty() && exports.remove(service.handle(), this)) {
                distribution.exportRemoved(service);
                service.release();
                events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_UNREGISTRATION, context.getBundle(), reference, null));
            }
        }

        void closeAll() {
            new ArrayList<>(registrations).forEach(ExportRegistration::close);
        }
    }

    /** One imported endpoint: its proxy registration, shared by every ImportRegistration for it. */
    private final class Import {
        final RsaConnection connection;
        final ServiceRegistration<?> registration;
        final ImportedProxy handler;
        final ImportReference reference;
        final Set<ImportRegistration> registrations = ConcurrentHashMap.newKeySet();
        final List<Class<?>> types = new ArrayList<>();
        volatile EndpointDescription description;

        Import(Known k) throws ClassNotFoundException, UnsupportedTypeException {
            this.connection = k.connection();
            this.description = k.description();
            for (String name : description.getInterfaces()) {
                types.add(localClass(name, description));
            }
            this.handler = new ImportedProxy(connection, k.message().handle(), description.getId(), wires(types, k.message()),
                    timeout(k.message()));
            ClassLoader loader = proxyLoader(types);
            Object proxy = Proxy.newProxyInstance(loader, types.toArray(Class<?>[]::new), handler);
            this.registration = context.registerService(description.getInterfaces().toArray(String[]::new), proxy,
                    new java.util.Hashtable<>(proxyProperties(description)));
            this.reference = new ImportReference() {
                @Override
                public ServiceReference<?> getImportedService() {
                    return registration.getReference();
                }

                @Override
                public EndpointDescription getImportedEndpoint() {
                    return description;
                }
            };
        }

        private Map<Method, ImportedProxy.Wire> wires(List<Class<?>> types, EndpointMessage message) throws UnsupportedTypeException {
            Map<String, Integer> ids = new HashMap<>();
            message.methods().forEach(m -> ids.put(m.signature(), m.id()));
            Map<Method, ImportedProxy.Wire> wires = new HashMap<>();
            for (Class<?> type : types) {
                for (MethodCodec m : codec.forInterface(type).methods()) {
                    Integer id = ids.get(m.signature());
                    if (id != null) {
                        wires.put(m.method(), new ImportedProxy.Wire(id, m));
                    }
                }
            }
            return wires;
        }

        private long timeout(EndpointMessage message) {
            String value = message.properties().get(EndpointProperties.BASIC_TIMEOUT);
            try {
                return value == null ? connection.defaultTimeoutMs() : Math.max(1, Long.parseLong(value));
            } catch (NumberFormatException e) {
                return connection.defaultTimeoutMs();
            }
        }

        private Map<String, Object> proxyProperties(EndpointDescription d) {
            Map<String, Object> p = new LinkedHashMap<>(d.getProperties());
            p.remove(Constants.SERVICE_ID);
            p.put(RemoteConstants.SERVICE_IMPORTED, Boolean.TRUE);
            p.putAll(distribution.importProperties(connection));
            return p;
        }

        ImportRegistration register() {
            ImportRegistration r = new ImportRegistration() {
                private volatile boolean closed;

                @Override
                public ImportReference getImportReference() {
                    return closed ? null : reference;
                }

                @Override
                public boolean update(EndpointDescription endpoint) {
                    return !closed && Import.this.update(endpoint);
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        release(this);
                    }
                }

                @Override
                public Throwable getException() {
                    return null;
                }
            };
            registrations.add(r);
            return r;
        }

        synchronized boolean update(EndpointDescription endpoint) {
            if (!endpoint.isSameService(description)) {
                return false;
            }
            Known k = known.get(endpoint.getId());
            if (k != null) {
                try {
                    List<Class<?>> types = new ArrayList<>();
                    for (String name : endpoint.getInterfaces()) {
                        types.add(localClass(name, endpoint));
                    }
                    handler.rewire(wires(types, k.message()));
                } catch (ClassNotFoundException | UnsupportedTypeException e) {
                    return false;
                }
            }
            description = endpoint;
            registration.setProperties(new java.util.Hashtable<>(proxyProperties(endpoint)));
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_UPDATE, context.getBundle(), reference, null));
            return true;
        }

        void release(ImportRegistration r) {
            if (registrations.remove(r) && registrations.isEmpty() && imports.remove(description.getId(), this)) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already unregistered: the RSA bundle is stopping
                }
                events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_UNREGISTRATION, context.getBundle(), reference, null));
            }
        }

        void closeAll() {
            new ArrayList<>(registrations).forEach(ImportRegistration::close);
        }

        /** True when an interface of the proxy comes from a bundle revision that is no longer the bundle's current one. */
        boolean stale() {
            return types.stream().anyMatch(type -> {
                Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(type);
                BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
                return bundle != null && (wiring == null || wiring.getClassLoader() != type.getClassLoader());
            });
        }
    }

    /** A loader that sees every interface of the proxy: the first one's, if it sees the others too. */
    private static ClassLoader proxyLoader(List<Class<?>> types) {
        for (Class<?> candidate : types) {
            ClassLoader loader = candidate.getClassLoader();
            if (types.stream().allMatch(t -> visible(loader, t))) {
                return loader;
            }
        }
        throw new IllegalStateException("no single class loader sees all of " + types + "; export them from one bundle");
    }

    private static boolean visible(ClassLoader loader, Class<?> type) {
        try {
            return Class.forName(type.getName(), false, loader) == type;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static final class FailedExport implements ExportRegistration {
        private final Throwable exception;

        FailedExport(Throwable exception) {
            this.exception = exception;
        }

        @Override
        public ExportReference getExportReference() {
            throw new IllegalStateException("this export failed: " + exception.getMessage(), exception);
        }

        @Override
        public EndpointDescription update(Map<String, ?> properties) {
            return null;
        }

        @Override
        public void close() {
        }

        @Override
        public Throwable getException() {
            return exception;
        }
    }

    private static final class FailedImport implements ImportRegistration {
        private final Throwable exception;

        FailedImport(Throwable exception) {
            this.exception = exception;
        }

        @Override
        public ImportReference getImportReference() {
            throw new IllegalStateException("this import failed: " + exception.getMessage(), exception);
        }

        @Override
        public boolean update(EndpointDescription endpoint) {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public Throwable getException() {
            return exception;
        }
    }
}
