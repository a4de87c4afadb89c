package io.cordon.itests;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A second Felix framework in this JVM, started through {@link FrameworkFactory} the way the OSGi
 * conformance tests start theirs: the distribution's bundles without the shell and the deploy folder's
 * console, plus the test's own. Its classes are its own, so the test reaches its services reflectively.
 */
final class ChildFramework implements AutoCloseable {

    /** Distribution bundles a framework without a console does not need. */
    private static final List<String> LEFT_OUT = List.of("org.apache.felix.gogo.jline", "jline-");

    private final Framework framework;

    private ChildFramework(Framework framework) {
        this.framework = framework;
    }

    /**
     * Starts a framework whose storage and data live under {@code dir}, whose FileInstall watches
     * {@code deploy} (for its configuration), with {@code bundles} installed and started after the distribution's.
     */
    static ChildFramework start(Path dir, Path deploy, List<Path> bundles) throws BundleException, IOException {
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("cordon.data", Dist.mkdirs(dir.resolve("data")).toString());
        properties.put("cordon.log.level", "info");
        properties.put("felix.log.level", "1");
        properties.put("org.osgi.service.log.admin.loglevel", "INFO");
        properties.put("felix.fileinstall.dir", deploy.toString());
        properties.put("felix.fileinstall.poll", "250");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.log.level", "1");
        properties.put("felix.fileinstall.enableConfigSave", "false");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FrameworkFactory.class.getClassLoader()).iterator().next();
        Framework framework = factory.newFramework(properties);
        framework.start();
        ChildFramework child = new ChildFramework(framework);
        try {
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : CordonOptions.bundleJars()) {
                if (LEFT_OUT.stream().noneMatch(jar.getFileName().toString()::startsWith)) {
                    installed.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
                }
            }
            for (Path jar : bundles) {
                installed.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
            }
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            return child;
        } catch (BundleException | RuntimeException e) {
            child.close();
            throw e;
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    String uuid() {
        return context().getProperty(Constants.FRAMEWORK_UUID);
    }

    Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("no bundle " + symbolicName + " in the child framework");
    }

    /**
     * The properties of the endpoints the child's RemoteServiceAdmin exports on {@code configType}, as
     * plain maps: what a discovery would hand across (the child's API classes are not this framework's).
     */
    List<Map<String, Object>> exportedEndpoints(String configType) throws ReflectiveOperationException, InvalidSyntaxException {
        // getAll…: this JVM's class path has its own copy of the RSA API, which the system bundle would see
        ServiceReference<?>[] refs = context().getAllServiceReferences("org.osgi.service.remoteserviceadmin.RemoteServiceAdmin", null);
        if (refs == null) {
            return List.of();
        }
        ServiceReference<?> ref = refs[0];
        Object rsa = context().getService(ref);
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object exportReference : (Iterable<?>) call(rsa, "getExportedServices")) {
                Object endpoint = call(exportReference, "getExportedEndpoint");
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = (Map<String, Object>) call(endpoint, "getProperties");
                if (String.valueOf(call(endpoint, "getConfigurationTypes")).contains(configType)) {
                    out.add(new HashMap<>(properties));
                }
            }
            return out;
        } finally {
            context().ungetService(ref);
        }
    }

    /**
     * Imports the endpoint with {@code properties} through the child's RemoteServiceAdmin, as a peer's
     * topology would: the ImportRegistration, an object of the child's RSA API.
     */
    Object importService(Map<String, Object> properties) throws ReflectiveOperationException, InvalidSyntaxException {
        ServiceReference<?> ref = context().getAllServiceReferences("org.osgi.service.remoteserviceadmin.RemoteServiceAdmin", null)[0];
        Object rsa = context().getService(ref);
        ClassLoader api = rsa.getClass().getClassLoader();
        Class<?> endpoint = api.loadClass("org.osgi.service.remoteserviceadmin.EndpointDescription");
        return api.loadClass("org.osgi.service.remoteserviceadmin.RemoteServiceAdmin").getMethod("importService", endpoint)
                .invoke(rsa, endpoint.getConstructor(Map.class).newInstance(properties));
    }

    /** The exception of the child's ImportRegistration {@code registration}, null when it imported. */
    static Throwable importException(Object registration) throws ReflectiveOperationException {
        return (Throwable) call(registration, "getException");
    }

    /** The proxy the child's ImportRegistration {@code registration} registered, as the child's bundles get it. */
    Object importedService(Object registration) throws ReflectiveOperationException {
        return context().getService((ServiceReference<?>) call(call(registration, "getImportReference"), "getImportedService"));
    }

    /** Calls {@code method} with one String argument on an object of the child's classes. */
    static Object call(Object target, String method, String argument) throws ReflectiveOperationException {
        for (Class<?> type : target.getClass().getInterfaces()) {
            try {
                return type.getMethod(method, String.class).invoke(target, argument);
            } catch (NoSuchMethodException e) {
                // another interface
            }
        }
        throw new NoSuchMethodException(method + "(String) on " + target.getClass());
    }

    /** Bundles that are not active and the RSA services' properties: what a failure message needs. */
    String describe() {
        StringBuilder out = new StringBuilder("child framework " + uuid() + ":");
        for (Bundle b : context().getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                out.append("\n  not active: ").append(b.getSymbolicName()).append(" state ").append(b.getState());
            }
        }
        try {
            ServiceReference<?>[] refs = context().getAllServiceReferences("org.osgi.service.remoteserviceadmin.RemoteServiceAdmin", null);
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                out.append("\n  RemoteServiceAdmin configs ").append(java.util.Arrays.toString((String[]) ref.getProperty("remote.configs.supported")));
            }
            ServiceReference<?>[] remotes = context().getAllServiceReferences(null, "(service.exported.configs=*)");
            for (ServiceReference<?> ref : remotes == null ? new ServiceReference<?>[0] : remotes) {
                out.append("\n  exported: ").append(java.util.Arrays.toString((String[]) ref.getProperty("objectClass")));
            }
            out.append("\n  endpoints: ").append(exportedEndpoints(""));
            ServiceReference<?>[] configs = context().getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null);
            out.append("\n  ConfigurationAdmin services: ").append(configs == null ? 0 : configs.length);
        } catch (InvalidSyntaxException | ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }

    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException | InterruptedException e) {
            throw new IllegalStateException("the child framework did not stop", e);
        }
    }
}
