package io.cordon.common.rsa;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ImportReference;
import org.osgi.service.remoteserviceadmin.ImportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteConstants;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminEvent;

import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.UnsupportedTypeException;

/**
 * The import side of Cordon's RSA: the endpoints peers announced on their connections, and one proxy
 * per imported endpoint, shared by every registration that imported it. An endpoint whose API no
 * bundle here exports waits for one ({@link ApiWait}).
 */
final class Imports implements ImportEndpoint.Owner {

    /** An endpoint a peer announced: where it lives and what it may be called with. */
    record Known(RsaConnection connection, EndpointMessage message, EndpointDescription description) {
    }

    private final BundleContext context;
    private final Codec codec;
    private final CordonRsa.Distribution distribution;
    private final RsaEvents events;
    private final Consumer<String> problems;
    private final LocalClasses classes;
    private final Registrations topology;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, ImportEndpoint> imports = new ConcurrentHashMap<>();
    private final ApiWait waiting;

    /** @param topology the registrations of imports Cordon makes itself, for whatever a peer announces */
    Imports(BundleContext context, Codec codec, CordonRsa.Distribution distribution, RsaEvents events, Consumer<String> problems,
            Registrations topology) {
        this.context = context;
        this.codec = codec;
        this.distribution = distribution;
        this.events = events;
        this.problems = problems;
        this.classes = new LocalClasses(context);
        this.topology = topology;
        this.waiting = new ApiWait(context, this::resolved);
    }

    void close() {
        waiting.close();
        List.copyOf(imports.values()).forEach(ImportEndpoint::closeAll);
    }

    /** A peer announced, updated or withdrew an endpoint; announced endpoints are imported at once. */
    void announced(RsaConnection connection, String frameworkUuid, String configType, EndpointMessage message) {
        String id = EndpointProperties.endpointId(frameworkUuid, message.handle());
        switch (message.op()) {
            case EndpointMessage.ADD, EndpointMessage.UPDATE -> {
                EndpointDescription description = new EndpointDescription(EndpointProperties.imported(message, frameworkUuid, configType));
                known.put(id, new Known(connection, message, description));
                ImportEndpoint existing = imports.get(id);
                if (existing != null) {
                    update(existing, description);
                } else if (configType.equals(EndpointProperties.CHANNEL_CONFIG)) {
                    importKnown(description, topology);
                }
            }
            case EndpointMessage.REMOVE -> {
                known.remove(id);
                waiting.remove(id);
                ImportEndpoint existing = imports.get(id);
                if (existing != null) {
                    existing.closeAll();
                }
            }
            default -> throw new IllegalArgumentException("unknown endpoint op '" + message.op() + "'");
        }
    }

    /** The connection is gone: every endpoint it brought is withdrawn. */
    void disconnected(RsaConnection connection) {
        known.values().removeIf(k -> k.connection() == connection);
        waiting.retainAll(known.keySet());
        imports.values().stream().filter(i -> i.connection() == connection).toList().forEach(ImportEndpoint::closeAll);
    }

    /** Imports {@code endpoint}, connecting to its framework first when it was not announced yet. */
    ImportRegistration importService(EndpointDescription endpoint, Registrations owner) {
        if (!known.containsKey(endpoint.getId()) && !imports.containsKey(endpoint.getId())) {
            try {
                distribution.connect(endpoint);
            } catch (IOException | RuntimeException e) {
                return failed(endpoint, e, "", owner);
            }
        }
        return importKnown(endpoint, owner);
    }

    private synchronized ImportRegistration importKnown(EndpointDescription endpoint, Registrations owner) {
        String id = endpoint.getId();
        ImportEndpoint existing = imports.get(id);
        if (existing != null) {
            ImportEndpoint.Reg linked = register(existing, owner);
            if (linked != null) {
                return linked;
            }
        }
        try {
            Known k = known.get(id);
            if (k == null) {
                throw new IllegalStateException("endpoint " + id + " was not announced on any Cordon connection");
            }
            ImportEndpoint imported = proxy(k);
            imports.put(id, imported);
            waiting.remove(id);
            return register(imported, owner);
        } catch (ClassNotFoundException e) {
            waiting.add(id);
            return failed(endpoint, e, " (imported as soon as such a bundle resolves)", owner);
        } catch (UnsupportedTypeException | RuntimeException e) {
            waiting.remove(id);
            return failed(endpoint, e, "", owner);
        }
    }

    private ImportEndpoint.Reg register(ImportEndpoint endpoint, Registrations owner) {
        ImportEndpoint.Reg registration = endpoint.register(r -> {
            owner.remove(r);
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_UNREGISTRATION, context.getBundle(),
                    endpoint.snapshot(), null));
        });
        if (registration != null) {
            owner.add(registration);
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_REGISTRATION, context.getBundle(),
                    endpoint.snapshot(), null));
        }
        return registration;
    }

    private ImportRegistration failed(EndpointDescription endpoint, Exception e, String next, Registrations owner) {
        problems.accept("cannot import endpoint " + endpoint.getId() + " " + endpoint.getInterfaces() + ": " + e.getMessage() + next);
        events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_ERROR, context.getBundle(),
                new ImportEndpoint.Snapshot(null, endpoint), e));
        return ImportEndpoint.failed(e, owner::remove);
    }

    /**
     * A bundle resolved: endpoints that waited for an API may import now, and proxies built on an API
     * revision that a refresh replaced (an API bundle updated in place) are built again on the current
     * one, since no bundle wired to the new revision can use them. Under the lock importService takes,
     * so an import made meanwhile is not registered a second time.
     */
    private synchronized void resolved() {
        for (ImportEndpoint stale : imports.values().stream().filter(ImportEndpoint::stale).toList()) {
            stale.closeAll();
            waiting.add(stale.description().getId());
        }
        for (String id : waiting.ids()) {
            Known k = known.get(id);
            if (k != null && !imports.containsKey(id)) {
                importKnown(k.description(), topology);
            }
        }
    }

    private ImportEndpoint proxy(Known k) throws ClassNotFoundException, UnsupportedTypeException {
        EndpointDescription description = k.description();
        List<Class<?>> types = types(description);
        ImportedProxy handler = new ImportedProxy(k.connection(), k.message().handle(), description.getId(),
                wires(types, k.message()), timeout(k));
        Object proxy = Proxy.newProxyInstance(LocalClasses.proxyLoader(types), types.toArray(Class<?>[]::new), handler);
        ImportEndpoint endpoint = new ImportEndpoint(k.connection(), handler, types, description, this);
        endpoint.proxy(context.registerService(description.getInterfaces().toArray(String[]::new), proxy,
                new Hashtable<>(proxyProperties(k.connection(), description))));
        return endpoint;
    }

    private List<Class<?>> types(EndpointDescription description) throws ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        for (String name : description.getInterfaces()) {
            types.add(classes.load(name, description));
        }
        return types;
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

    private static long timeout(Known k) {
        String value = k.message().properties().get(EndpointProperties.BASIC_TIMEOUT);
        long ms = value == null ? -1 : EndpointProperties.timeout(value);
        return ms > 0 ? ms : k.connection().defaultTimeoutMs();
    }

    private Map<String, Object> proxyProperties(RsaConnection connection, EndpointDescription d) {
        Map<String, Object> p = new LinkedHashMap<>(d.getProperties());
        p.remove(Constants.SERVICE_ID);
        p.put(RemoteConstants.SERVICE_IMPORTED, Boolean.TRUE);
        p.putAll(distribution.importProperties(connection));
        return p;
    }

    @Override
    public synchronized boolean update(ImportEndpoint endpoint, EndpointDescription updated) {
        if (!updated.isSameService(endpoint.description())) {
            return false;
        }
        Known k = known.get(updated.getId());
        if (k != null) {
            try {
                endpoint.handler().rewire(wires(types(updated), k.message()));
            } catch (ClassNotFoundException | UnsupportedTypeException e) {
                problems.accept("cannot update import " + updated.getId() + ": " + e.getMessage());
                events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_WARNING, context.getBundle(), endpoint.snapshot(), e));
                return false;
            }
        }
        endpoint.description(updated);
        endpoint.proxy().setProperties(new Hashtable<>(proxyProperties(endpoint.connection(), updated)));
        events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.IMPORT_UPDATE, context.getBundle(), endpoint.snapshot(), null));
        return true;
    }

    @Override
    public void withdraw(ImportEndpoint endpoint) {
        if (imports.remove(endpoint.description().getId(), endpoint)) {
            endpoint.handler().close();
            try {
                endpoint.proxy().unregister();
            } catch (IllegalStateException e) {
                // already unregistered: the RSA bundle is stopping
            }
        }
    }

    Collection<ImportReference> references() {
        return imports.values().stream().map(ImportEndpoint::snapshot).toList();
    }
}
