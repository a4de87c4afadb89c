package io.cordon.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The launcher's command line, parsed. Options win over {@code -D} properties, which win over {@code conf/}. */
final class LaunchOptions {

    static final String USAGE = String.join("\n",
            "Usage: cordon [options]",
            "",
            "Starts Cordon's main OSGi framework (Apache Felix) with the bundles in bundle/, hot-deploys",
            "what is dropped into deploy/, and opens the Gogo shell.",
            "",
            "  With a terminal:       an interactive Gogo shell: Tab completes, Up/Down and Ctrl-R search the",
            "                         history, Ctrl-C interrupts a command or drops the line; 'exit',",
            "                         'shutdown' or Ctrl-D stops Cordon.",
            "  With stdin redirected: reads one Gogo command per line, prints each result, and stops",
            "                         cleanly at end of input or 'exit' (exit status 1 if a command failed).",
            "",
            "Options:",
            "  -c, --command \"CMD; CMD\"   run these commands once start-up has settled, then stop",
            "  --home DIR                 distribution folder (default: set by bin/cordon)",
            "  --data DIR                 framework cache, renderer data, shell history, this run's tmp/ (default: HOME/data)",
            "  --deploy DIR               hot-deploy folder watched for bundles and .cfg files (default: HOME/deploy)",
            "  --log-level LEVEL          error, warn, info (default) or debug",
            "  --dev                      development mode: allows dev-only escape hatches, each logged",
            "  --production               production mode (the default): dev-only escape hatches are refused",
            "  -D NAME=VALUE              set a framework property (overrides conf/config.properties)",
            "  --version                  print the version and exit",
            "  -h, --help                 print this help and exit",
            "",
            "Environment: JAVA (the java binary), CORDON_JAVA_OPTS (JVM options for main),",
            "             CORDON_CLASS_DATA=off (no class-data archive for main in DATA/class-data).",
            "Configuration: HOME/conf/config.properties; see README.md.");

    Path home;
    Path data;
    Path deploy;
    String logLevel;
    String mode;
    String commands;
    boolean help;
    boolean version;
    final Map<String, String> properties = new LinkedHashMap<>();

    static LaunchOptions parse(String... args) {
        LaunchOptions options = new LaunchOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> options.help = true;
                case "--version" -> options.version = true;
                case "--dev" -> options.mode = "dev";
                case "--production" -> options.mode = "production";
                case "-c", "--command" -> options.commands = value(args, ++i, arg);
                case "--home" -> options.home = Path.of(value(args, ++i, arg));
                case "--data" -> options.data = Path.of(value(args, ++i, arg));
                case "--deploy" -> options.deploy = Path.of(value(args, ++i, arg));
                case "--log-level" -> options.logLevel = level(value(args, ++i, arg));
                case "-D" -> options.define(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-D") && arg.length() > 2) {
                        options.define(arg.substring(2));
                    } else {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                }
            }
        }
        return options;
    }

    private void define(String definition) {
        int eq = definition.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("-D needs NAME=VALUE, got '" + definition + "'");
        }
        properties.put(definition.substring(0, eq), definition.substring(eq + 1));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static String level(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "error", "warn", "info", "debug" -> value.toLowerCase(Locale.ROOT);
            default -> throw new UsageException("--log-level must be error, warn, info or debug, got '" + value + "'");
        };
    }

    /** A command line that cannot be run; the message says what to change. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
