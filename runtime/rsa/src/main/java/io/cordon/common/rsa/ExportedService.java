package io.cordon.common.rsa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.remoteserviceadmin.EndpointDescription;

import io.cordon.common.rsa.codec.MethodCodec;

/**
 * One endpoint this side exports: its number on the wire ({@link #handle()}), its configuration type,
 * the method table (the wire ids are indexes into it) and its endpoint description. A service exported
 * with different properties or configuration types has one of these per endpoint. The service object is
 * fetched once, on the first call, with the RSA bundle's context, and released when the export closes.
 */
public final class ExportedService {

    private final long handle;
    private final String configType;
    private final ServiceReference<?> reference;
    private final BundleContext context;
    private final List<MethodCodec> methods;
    private final List<Set<String>> owners;
    private final Map<String, String> packageVersions;
    private volatile EndpointDescription description;
    private Object service;
    private boolean released;

    ExportedService(long handle, String configType, ServiceReference<?> reference, BundleContext context, List<MethodCodec> methods,
                    List<Set<String>> owners, Map<String, String> packageVersions, EndpointDescription description) {
        this.handle = handle;
        this.configType = configType;
        this.reference = reference;
        this.context = context;
        this.methods = List.copyOf(methods);
        this.owners = owners.stream().map(Set::copyOf).toList();
        this.packageVersions = Collections.unmodifiableMap(new LinkedHashMap<>(packageVersions));
        this.description = description;
    }

    /** The endpoint's number on the wire, unique in this framework. */
    public long handle() {
        return handle;
    }

    /** The configuration type this endpoint is exported on. */
    public String configType() {
        return configType;
    }

    public ServiceReference<?> reference() {
        return reference;
    }

    public EndpointDescription description() {
        return description;
    }

    void description(EndpointDescription updated) {
        this.description = updated;
    }

    Map<String, String> packageVersions() {
        return packageVersions;
    }

    public List<MethodCodec> methods() {
        return methods;
    }

    MethodCodec method(int id) {
        return id >= 0 && id < methods.size() ? methods.get(id) : null;
    }

    /** The exported interfaces that declare (or inherit) method {@code id}. */
    public Set<String> owners(int id) {
        return owners.get(id);
    }

    /** The announcement for a peer that may call the method ids {@code allowed} accepts. */
    public EndpointMessage announcement(String op, IntPredicate allowed) {
        List<EndpointMessage.MethodEntry> entries = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            if (allowed.test(i)) {
                entries.add(new EndpointMessage.MethodEntry(i, methods.get(i).signature()));
            }
        }
        EndpointDescription d = description;
        return new EndpointMessage(op, handle, d.getServiceId(), d.getInterfaces(), packageVersions, d.getIntents(),
                EndpointProperties.publicStrings(d.getProperties()), entries);
    }

    synchronized Object service() {
        if (service == null && !released) {
            service = context.getService(reference);
        }
        return service;
    }

    synchronized void release() {
        released = true;
        if (service != null) {
            service = null;
            try {
                context.ungetService(reference);
            } catch (IllegalStateException e) {
                // the RSA bundle is stopping; the framework releases it anyway
            }
        }
    }
}
