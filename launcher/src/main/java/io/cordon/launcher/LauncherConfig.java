package io.cordon.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The main framework's properties: {@code conf/config.properties}, then {@code -D} definitions, then
 * the explicit options. {@code ${name}} refers to another property or a Java system property.
 */
final class LauncherConfig {

    static final String HOME = "cordon.home";
    static final String DATA = "cordon.data";
    static final String DEPLOY = "cordon.deploy";
    static final String LOG_LEVEL = "cordon.log.level";
    static final String MODE = "cordon.mode";
    static final String SETTLE_TIMEOUT = "cordon.settle.timeout.ms";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private LauncherConfig() {
    }

    static Map<String, String> load(LaunchOptions options) throws IOException {
        Path home = (options.home != null ? options.home : Path.of(".")).toAbsolutePath().normalize();
        Map<String, String> config = new LinkedHashMap<>();
        config.put(HOME, home.toString());
        config.put(DATA, home.resolve("data").toString());
        config.put(DEPLOY, home.resolve("deploy").toString());
        config.put(MODE, "production");
        config.put(LOG_LEVEL, "info");
        Path file = home.resolve("conf").resolve("config.properties");
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
            properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        }
        config.putAll(options.properties);
        putIfSet(config, DATA, options.data == null ? null : options.data.toAbsolutePath().toString());
        putIfSet(config, DEPLOY, options.deploy == null ? null : options.deploy.toAbsolutePath().toString());
        putIfSet(config, LOG_LEVEL, options.logLevel);
        putIfSet(config, MODE, options.mode);
        config.put(HOME, home.toString());
        resolveVariables(config);
        config.put(MODE, mode(config.get(MODE)));
        return config;
    }

    /** {@code production} or {@code dev}, in any case; the main framework gets it in lower case. */
    static String mode(String value) {
        String mode = value.strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("production") && !mode.equals("dev")) {
            throw new LaunchOptions.UsageException(MODE + " must be production or dev, got '" + value + "'");
        }
        return mode;
    }

    private static void putIfSet(Map<String, String> config, String key, String value) {
        if (value != null) {
            config.put(key, value);
        }
    }

    /** Expands {@code ${name}} until nothing changes; a cycle or unknown name is left as written. */
    static void resolveVariables(Map<String, String> config) {
        for (int pass = 0; pass < 10; pass++) {
            boolean changed = false;
            for (Map.Entry<String, String> entry : config.entrySet()) {
                String expanded = expand(entry.getValue(), config);
                if (!expanded.equals(entry.getValue())) {
                    entry.setValue(expanded);
                    changed = true;
                }
            }
            if (!changed) {
                return;
            }
        }
    }

    private static String expand(String value, Map<String, String> config) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = config.getOrDefault(name, System.getProperty(name, m.group()));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
