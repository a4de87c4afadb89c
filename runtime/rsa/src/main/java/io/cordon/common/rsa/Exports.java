package io.cordon.common.rsa;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ExportReference;
import org.osgi.service.remoteserviceadmin.ExportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteConstants;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminEvent;

import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.InterfaceCodec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.UnsupportedTypeException;

/**
 * The export side of Cordon's RSA: one endpoint per service, configuration type and set of endpoint
 * properties; an export with the same ones links a new registration to the existing endpoint, one with
 * other properties gets an endpoint of its own. The side's {@link CordonRsa.Distribution} offers each
 * endpoint to the peers that may see it.
 */
final class Exports implements ExportEndpoint.Owner {

    private final BundleContext context;
    private final Codec codec;
    private final CordonRsa.Distribution distribution;
    private final RsaEvents events;
    private final Consumer<String> problems;
    private final String uuid;
    private final AtomicLong handles = new AtomicLong();
    private final Map<Long, ExportEndpoint> endpoints = new ConcurrentHashMap<>();
    private final ServiceListener unregistering = this::serviceChanged;

    Exports(BundleContext context, Codec codec, CordonRsa.Distribution distribution, RsaEvents events, Consumer<String> problems) {
        this.context = context;
        this.codec = codec;
        this.distribution = distribution;
        this.events = events;
        this.problems = problems;
        this.uuid = context.getProperty(Constants.FRAMEWORK_UUID);
        context.addServiceListener(unregistering);
    }

    void close() {
        context.removeServiceListener(unregistering);
        List.copyOf(endpoints.values()).forEach(ExportEndpoint::closeAll);
    }

    Collection<ExportRegistration> export(ServiceReference<?> reference, Map<String, ?> overrides, Registrations owner) {
        Map<String, Object> props = EndpointProperties.merge(properties(reference), overrides);
        List<String> interfaces = interfaces(props);
        Map<String, Set<String>> supported = distribution.configTypes();
        List<String> requested = EndpointProperties.strings(props.get(RemoteConstants.SERVICE_EXPORTED_CONFIGS));
        List<String> types = requested.isEmpty() ? List.of(EndpointProperties.CHANNEL_CONFIG)
                : requested.stream().filter(supported::containsKey).distinct().toList();
        if (types.isEmpty() || !EndpointProperties.INTENTS.containsAll(intents(props))) {
            return List.of();
        }
        EndpointProperties.validate(props, supported);
        List<ExportRegistration> out = new ArrayList<>();
        synchronized (this) {
            for (String type : types) {
                out.add(export(type, reference, interfaces, props, overrides, owner));
            }
        }
        return out;
    }

    private ExportRegistration export(String type, ServiceReference<?> reference, List<String> interfaces, Map<String, Object> props,
                                      Map<String, ?> overrides, Registrations owner) {
        try {
            ExportedService candidate = exported(handles.incrementAndGet(), type, reference, interfaces, props);
            for (ExportEndpoint existing : endpoints.values()) {
                ExportedService s = existing.service();
                if (s.configType().equals(type) && s.description().getServiceId() == candidate.description().getServiceId()
                        && EndpointProperties.sameEndpoint(s.description().getProperties(), candidate.description().getProperties())) {
                    ExportEndpoint.Reg linked = register(existing, owner);
                    if (linked != null) {
                        return linked;
                    }
                }
            }
            ExportEndpoint endpoint = new ExportEndpoint(candidate, overrides, this);
            endpoints.put(candidate.handle(), endpoint);
            ExportEndpoint.Reg registration = register(endpoint, owner);
            distribution.exportAdded(candidate);
            return registration;
        } catch (ClassNotFoundException | UnsupportedTypeException | RuntimeException e) {
            problems.accept("cannot export service " + props.get(Constants.SERVICE_ID) + " " + interfaces + " on " + type + ": "
                    + e.getMessage());
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_ERROR, context.getBundle(),
                    new ExportEndpoint.Snapshot(reference, null), e));
            return ExportEndpoint.failed(e, owner::remove);
        }
    }

    private ExportEndpoint.Reg register(ExportEndpoint endpoint, Registrations owner) {
        ExportEndpoint.Reg registration = endpoint.register(r -> {
            owner.remove(r);
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_UNREGISTRATION, context.getBundle(),
                    endpoint.snapshot(), null));
        });
        if (registration != null) {
            owner.add(registration);
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_REGISTRATION, context.getBundle(),
                    endpoint.snapshot(), null));
        }
        return registration;
    }

    private static List<String> interfaces(Map<String, Object> props) {
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
        return interfaces;
    }

    private static Set<String> intents(Map<String, Object> props) {
        Set<String> intents = new LinkedHashSet<>();
        intents.addAll(EndpointProperties.strings(props.get(RemoteConstants.SERVICE_EXPORTED_INTENTS)));
        intents.addAll(EndpointProperties.strings(props.get(RemoteConstants.SERVICE_EXPORTED_INTENTS_EXTRA)));
        intents.addAll(EndpointProperties.strings(props.get(RemoteConstants.SERVICE_INTENTS)));
        return intents;
    }

    private ExportedService exported(long handle, String type, ServiceReference<?> reference, List<String> interfaces,
                                     Map<String, Object> props) throws ClassNotFoundException, UnsupportedTypeException {
        Bundle owner = reference.getBundle();
        if (owner == null) {
            throw new IllegalStateException("service " + props.get(Constants.SERVICE_ID) + " is unregistered");
        }
        List<MethodCodec> table = new ArrayList<>();
        Map<String, Set<String>> owners = new LinkedHashMap<>();
        Map<String, String> packageVersions = new LinkedHashMap<>();
        for (String name : interfaces) {
            Class<?> api = owner.loadClass(name);
            InterfaceCodec ic = codec.forInterface(api);
            for (MethodCodec m : ic.methods()) {
                if (!owners.containsKey(m.signature())) {
                    table.add(m);
                }
                owners.computeIfAbsent(m.signature(), s -> new LinkedHashSet<>()).add(name);
            }
            packageVersions.put(api.getPackageName(), LocalClasses.packageVersion(api).toString());
        }
        return new ExportedService(handle, type, reference, context, table, new ArrayList<>(owners.values()), packageVersions,
                description(handle, type, props, interfaces, packageVersions));
    }

    private EndpointDescription description(long handle, String type, Map<String, Object> props, List<String> interfaces,
                                            Map<String, String> packageVersions) {
        Map<String, Object> p = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (!k.startsWith("service.exported.") && !k.startsWith(".")) {
                p.put(k, v);
            }
        });
        p.put(Constants.OBJECTCLASS, interfaces.toArray(String[]::new));
        p.put(RemoteConstants.ENDPOINT_ID, EndpointProperties.endpointId(uuid, handle));
        p.put(RemoteConstants.ENDPOINT_SERVICE_ID, props.get(Constants.SERVICE_ID));
        p.put(RemoteConstants.ENDPOINT_FRAMEWORK_UUID, uuid);
        p.put(RemoteConstants.SERVICE_IMPORTED_CONFIGS, new String[] {type});
        p.put(RemoteConstants.SERVICE_INTENTS, EndpointProperties.INTENTS.toArray(String[]::new));
        p.putAll(distribution.endpointProperties(type));
        packageVersions.forEach((pkg, v) -> p.put(RemoteConstants.ENDPOINT_PACKAGE_VERSION_ + pkg, v));
        return new EndpointDescription(p);
    }

    @Override
    public EndpointDescription update(ExportEndpoint endpoint, Map<String, ?> overrides) {
        ExportedService service = endpoint.service();
        try {
            Map<String, Object> props = EndpointProperties.merge(properties(service.reference()), overrides);
            EndpointProperties.validate(props, distribution.configTypes());
            service.description(description(service.handle(), service.configType(), props, service.description().getInterfaces(),
                    service.packageVersions()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            problems.accept("cannot update export " + service.description().getId() + ": " + e.getMessage());
            events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_WARNING, context.getBundle(), endpoint.snapshot(), e));
            return null;
        }
        events.post(new RemoteServiceAdminEvent(RemoteServiceAdminEvent.EXPORT_UPDATE, context.getBundle(), endpoint.snapshot(), null));
        distribution.exportUpdated(service);
        return service.description();
    }

    @Override
    public void withdraw(ExportEndpoint endpoint) {
        ExportedService service = endpoint.service();
        if (endpoints.remove(service.handle(), endpoint)) {
            distribution.exportRemoved(service);
            service.release();
        }
    }

    private void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            Object id = event.getServiceReference().getProperty(Constants.SERVICE_ID);
            endpoints.values().stream().filter(e -> id.equals(e.service().description().getServiceId())).toList()
                    .forEach(ExportEndpoint::closeAll);
        }
    }

    void closeAll(String type) {
        endpoints.values().stream().filter(e -> e.service().configType().equals(type)).toList().forEach(ExportEndpoint::closeAll);
    }

    Collection<ExportReference> references() {
        return endpoints.values().stream().map(ExportEndpoint::snapshot).toList();
    }

    /** Every live endpoint of configuration type {@code type}. */
    List<ExportedService> live(String type) {
        return endpoints.values().stream().map(ExportEndpoint::service).filter(s -> s.configType().equals(type)).toList();
    }

    private static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> p = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            p.put(key, reference.getProperty(key));
        }
        return p;
    }
}
