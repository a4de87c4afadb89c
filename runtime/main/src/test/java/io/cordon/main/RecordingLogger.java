package io.cordon.main;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

import org.osgi.service.log.Logger;

/** A Logger for unit tests: records each call at {@code level} (or every level, when null) as its formatted text. */
public final class RecordingLogger {

    private RecordingLogger() {
    }

    /** Lines are the message with its {@code {}} filled in, prefixed with the level ({@code WARN …}) when {@code level} is null. */
    public static Logger of(String level, List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (proxy, method, args) -> {
            String name = method.getName().toUpperCase(Locale.ROOT);
            if (args != null && args[0] instanceof String format && (level == null || level.equals(name))) {
                Object[] values = method.isVarArgs() ? (Object[]) args[args.length - 1] : Arrays.copyOfRange(args, 1, args.length);
                String text = format;
                for (Object value : values) {
                    text = text.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(value)));
                }
                lines.add(level == null ? name + " " + text : text);
            }
            return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
        });
    }

    /** Records the calls of the given {@code levels} (method names: warn, info…) as {@code "warn TEXT"}. */
    public static Logger of(List<String> lines, String... levels) {
        List<String> recorded = new java.util.ArrayList<>();
        Logger all = of(null, recorded);
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (proxy, method, args) -> {
            if (List.of(levels).contains(method.getName())) {
                method.invoke(all, args);
                recorded.forEach(line -> lines.add(line.substring(0, line.indexOf(' ')).toLowerCase(Locale.ROOT) + line.substring(line.indexOf(' '))));
                recorded.clear();
            }
            return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
        });
    }
}
