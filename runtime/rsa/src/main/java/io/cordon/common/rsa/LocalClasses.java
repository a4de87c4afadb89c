package io.cordon.common.rsa;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.remoteserviceadmin.EndpointDescription;

/**
 * Class resolution for both sides: the package version an export announces, and, for an import, the
 * interface class from a bundle here that exports its package in a version the endpoint accepts.
 */
final class LocalClasses {

    private final BundleContext context;

    LocalClasses(BundleContext context) {
        this.context = context;
    }

    /** The version of {@code type}'s package as exported by the bundle that defines it, 0.0.0 when private. */
    static Version packageVersion(Class<?> type) {
        String pkg = type.getPackageName();
        Bundle bundle = FrameworkUtil.getBundle(type);
        BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (pkg.equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    return version(c);
                }
            }
        }
        return Version.emptyVersion;
    }

    /** A class for {@code name} from a bundle exporting its package in a version the endpoint accepts. */
    Class<?> load(String name, EndpointDescription endpoint) throws ClassNotFoundException {
        String pkg = name.substring(0, Math.max(0, name.lastIndexOf('.')));
        Version remote = endpoint.getPackageVersion(pkg);
        VersionRange range = new VersionRange(VersionRange.LEFT_CLOSED, remote, new Version(remote.getMajor() + 1, 0, 0),
                VersionRange.RIGHT_OPEN);
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
                Version version = version(c);
                if (pkg.equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)) && range.includes(version)
                        && (bestVersion == null || version.compareTo(bestVersion) > 0)) {
                    best = b;
                    bestVersion = version;
                }
            }
        }
        return best;
    }

    private static Version version(BundleCapability c) {
        return c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE) instanceof Version v ? v : Version.emptyVersion;
    }

    /** A loader that sees every interface of the proxy: the first one's, if it sees the others too. */
    static ClassLoader proxyLoader(List<Class<?>> types) {
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
}
