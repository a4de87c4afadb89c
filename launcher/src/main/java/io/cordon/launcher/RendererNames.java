package io.cordon.launcher;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Renderer ids and type names for completion, from Cordon's {@code io.cordon.api.Renderers} service.
 * Read through reflection: the API lives in a bundle, the launcher on the class path.
 */
final class RendererNames {

    private static final String RENDERERS = "io.cordon.api.Renderers";

    private final BundleContext context;

    RendererNames(BundleContext context) {
        this.context = context;
    }

    /**
     * The ids of the renderers that run: not the gone ones {@code cordon:renderers} still lists, nor spares
     * (type {@code -}): no command is for them.
     */
    List<String> ids() {
        return read("list", "id", item -> !"-".equals(get(item, "type")) && !"GONE".equals(String.valueOf(get(item, "state"))));
    }

    /** The names of the renderer types. */
    List<String> types() {
        return read("types", "name", item -> true);
    }

    /** {@code property} of each item {@code keep} keeps. */
    private List<String> read(String listMethod, String property, Predicate<Object> keep) {
        List<String> values = new ArrayList<>();
        ServiceReference<?> ref = context.getServiceReference(RENDERERS);
        Object renderers = ref == null ? null : context.getService(ref);
        if (renderers == null) {
            return values;
        }
        try {
            for (Object item : (Iterable<?>) get(renderers, listMethod)) {
                if (keep.test(item)) {
                    values.add(String.valueOf(get(item, property)));
                }
            }
        } catch (RuntimeException e) {
            // completion is a convenience: without it the user types the value
        } finally {
            context.ungetService(ref);
        }
        return values;
    }

    private static Object get(Object target, String method) {
        try {
            return method(target, method).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + method + " of " + target.getClass().getName(), e);
        }
    }

    /** The method as declared by the public API type, not by a private implementation class. */
    private static Method method(Object target, String name) throws NoSuchMethodException {
        for (Class<?> type : target.getClass().getInterfaces()) {
            try {
                return type.getMethod(name);
            } catch (NoSuchMethodException e) {
                // next interface
            }
        }
        return target.getClass().getMethod(name);
    }
}
