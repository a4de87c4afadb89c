package io.cordon.launcher;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The usage line of a Gogo command ({@code cordon:kill ID}), read from the command service's methods
 * the way Gogo's {@code help} reads them: each parameter's {@code @Descriptor} names its placeholder
 * (a word in capitals if it has one, else its last word), Gogo's session parameters are left out.
 */
final class CommandUsage {

    private static final String SCOPE = "osgi.command.scope";
    private static final String FUNCTION = "osgi.command.function";
    private static final Pattern CAPITALS = Pattern.compile("\\b[A-Z][A-Z0-9_-]+\\b");
    private static final Pattern LAST_WORD = Pattern.compile("([A-Za-z0-9_-]+)\\W*$");

    private final BundleContext context;

    CommandUsage(BundleContext context) {
        this.context = context;
    }

    /** {@code scope:function ARGS}, overloads merged; empty when no such command is registered. */
    Optional<String> of(String scopedName) {
        int colon = scopedName.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String scope = scopedName.substring(0, colon);
        String function = scopedName.substring(colon + 1);
        List<String> forms = new ArrayList<>();
        for (ServiceReference<?> ref : references(scope, function)) {
            Object service = context.getService(ref);
            if (service == null) {
                continue;
            }
            try {
                for (Method method : service.getClass().getMethods()) {
                    if (!Modifier.isStatic(method.getModifiers()) && isFunction(method.getName(), function)) {
                        forms.add(form(scopedName, method));
                    }
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return forms.isEmpty() ? Optional.empty() : Optional.of(merge(forms));
    }

    private List<ServiceReference<?>> references(String scope, String function) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null,
                    "(&(" + SCOPE + "=" + escape(scope) + ")(" + FUNCTION + "=" + escape(function) + "))");
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            return List.of();
        }
    }

    /** Gogo's rule: {@code name}, {@code getName}, {@code isName} or {@code _name}, ignoring case. */
    static boolean isFunction(String method, String function) {
        String m = method.toLowerCase(Locale.ROOT);
        String f = function.toLowerCase(Locale.ROOT);
        return m.equals(f) || m.equals("get" + f) || m.equals("is" + f) || m.equals("_" + f);
    }

    private static String form(String name, Method method) {
        StringBuilder form = new StringBuilder(name);
        for (Parameter parameter : method.getParameters()) {
            if (parameter.getType().getName().startsWith("org.apache.felix.service.command.")) {
                continue; // CommandSession, Process: Gogo passes them itself
            }
            form.append(' ').append(argument(parameter));
        }
        return form.toString();
    }

    private static String argument(Parameter parameter) {
        Optional<Annotation> option = annotation(parameter, "Parameter");
        String placeholder = placeholder(annotation(parameter, "Descriptor").map(a -> (String) value(a, "value")).orElse(null),
                parameter.getType());
        if (option.isPresent()) {
            String[] names = (String[]) value(option.get(), "names");
            boolean flag = parameter.getType() == boolean.class || parameter.getType() == Boolean.class;
            return "[" + (names.length == 0 ? "-?" : names[0]) + (flag ? "" : " " + placeholder) + "]";
        }
        return parameter.isVarArgs() ? placeholder + "…" : placeholder;
    }

    /** A word in capitals in the descriptor, else its last word, upper-cased; else the type's name. */
    static String placeholder(String descriptor, Class<?> type) {
        if (descriptor != null) {
            String text = descriptor.replaceAll("\\(.*?\\)", "").trim();
            Matcher capitals = CAPITALS.matcher(text);
            if (capitals.find()) {
                return capitals.group();
            }
            Matcher last = LAST_WORD.matcher(text);
            if (last.find()) {
                return last.group(1).toUpperCase(Locale.ROOT);
            }
        }
        Class<?> base = type.isArray() ? type.getComponentType() : type;
        return base.getSimpleName().toUpperCase(Locale.ROOT);
    }

    /** {@code a} and {@code a B} become {@code a [B]}; forms that do not extend each other are joined with {@code |}. */
    static String merge(List<String> forms) {
        List<String> merged = new ArrayList<>();
        String previous = null;
        for (String form : forms.stream().distinct().sorted(Comparator.comparingInt(String::length)).toList()) {
            if (previous != null && form.startsWith(previous + " ")) {
                int last = merged.size() - 1;
                merged.set(last, merged.get(last) + " [" + form.substring(previous.length() + 1) + "]");
            } else {
                merged.add(form);
            }
            previous = form;
        }
        return String.join(" | ", merged);
    }

    private static Optional<Annotation> annotation(Parameter parameter, String simpleName) {
        for (Annotation a : parameter.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals(simpleName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static Object value(Annotation annotation, String attribute) {
        try {
            return annotation.annotationType().getMethod(attribute).invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + annotation + "." + attribute, e);
        }
    }

    private static String escape(String value) {
        return value.replaceAll("([\\\\()*])", "\\\\$1");
    }
}
