package io.cordon.launcher;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

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

    /** The ids of the renderers listed by {@code cordon:renderers}, but spares (type {@code -}): no command is for them. */
    List<String> ids() {
        return read("list", "id", "type");
    }

    /** The names of the renderer types. */
    List<String> types() {
        return read("types", "name", "name");
    }

    /** {@code property} of each item, but of those whose {@code typeProperty} is {@code -} (a spare renderer). */
    private List<String> read(String listMethod, String property, String typeProperty) {
        List<String> values = new ArrayList<>();
        ServiceReference<?> ref = context.getServiceReference(RENDERERS);
        Object renderers = ref == null ? null : context.getService(ref);
        if (renderers == null) {
            return values;
        }
        try {
            for (Object item : (Iterable<?>) method(renderers, listMethod).invoke(renderers)) {
                if (!"-".equals(method(item, typeProperty).invoke(item))) {
                    values.add(String.valueOf(method(item, property).invoke(item)));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // completion is a convenience: without it the user types the value
        } finally {
            context.ungetService(ref);
        }
        return values;
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
