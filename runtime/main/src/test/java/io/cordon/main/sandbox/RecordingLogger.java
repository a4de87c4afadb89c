package io.cordon.main.sandbox;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;

import org.osgi.service.log.Logger;

/** A Logger that records the calls of the given levels (method names), formatted with their arguments. */
public final class RecordingLogger {

    private RecordingLogger() {
    }

    public static Logger of(List<String> lines, String... levels) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (proxy, method, args) -> {
            if (List.of(levels).contains(method.getName()) && args != null) {
                String text = String.valueOf(args[0]);
                Object[] values = args.length == 2 && args[1] instanceof Object[] varargs ? varargs
                        : Arrays.copyOfRange(args, 1, args.length);
                for (Object value : values) {
                    text = text.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(value)));
                }
                lines.add(method.getName() + " " + text);
            }
            return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
        });
    }
}
