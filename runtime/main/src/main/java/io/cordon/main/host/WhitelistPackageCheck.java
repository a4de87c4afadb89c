package io.cordon.main.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.log.Logger;

import io.cordon.api.RendererType;
import io.cordon.api.WhitelistEntry;

/**
 * Says why a renderer gets no proxy of an interface its type whitelists when the cause is in main: no
 * bundle there exports the interface's package (the API jar is missing from {@code deploy/}, or the name
 * is misspelt), so no main service can offer it and the renderer would just never see it. Checked when
 * a renderer becomes READY (the supervisor calls it), by then main's deploy folder has been read; one WARN
 * per type and interface.
 */
final class WhitelistPackageCheck {

    private final BundleContext context;
    private final Logger log;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    WhitelistPackageCheck(BundleContext context, Logger log) {
        this.context = context;
        this.log = log;
    }

    /** A renderer of {@code type} is READY. */
    void ready(RendererType type) {
        if (!type.trusted()) {
            unexported(type.name(), type.whitelist(), exportedPackages()).stream().filter(warned::add).forEach(log::warn);
        }
    }

    /** One line per whitelisted interface whose package is not among {@code exported}. */
    static List<String> unexported(String type, List<WhitelistEntry> whitelist, Set<String> exported) {
        List<String> problems = new ArrayList<>();
        for (WhitelistEntry entry : whitelist) {
            int dot = entry.service().lastIndexOf('.');
            String pkg = dot < 0 ? "" : entry.service().substring(0, dot);
            if (!pkg.isEmpty() && !exported.contains(pkg)) {
                problems.add("renderer type " + type + ": its whitelist names " + entry.service() + ", but no bundle in main "
                        + "exports package " + pkg + ", so no main service can offer it and these renderers get no proxy of it; "
                        + "deploy the bundle that exports it (your API jar) into main's deploy folder, or correct the name in "
                        + "the type's whitelist");
            }
        }
        return problems;
    }

    /** The packages main's resolved bundles export. */
    private Set<String> exportedPackages() {
        Set<String> packages = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring != null) {
                for (BundleCapability export : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                    packages.add(String.valueOf(export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)));
                }
            }
        }
        return packages;
    }
}
