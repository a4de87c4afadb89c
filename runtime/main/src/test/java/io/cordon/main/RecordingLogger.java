package io.cordon.main;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.regex.Matcher;

import org.osgi.service.log.Logger;

/** Test helper: a Logger that records warn(...) calls, formatted with their arguments, and ignores the rest. */
public final class RecordingLogger {

    private RecordingLogger() {
    }

    public static Logger warnings(List<String> warnings) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (proxy, method, args) -> {
            if (method.getName().equals("warn") && args != null) {
                String text = String.valueOf(args[0]);
                for (int i = 1; i < args.length; i++) {
                    text = text.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(args[i])));
                }
                warnings.add(text);
            }
            return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
        });
    }
}
