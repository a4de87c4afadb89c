package io.cordon.launcher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * {@code bin/cordon}: starts the main framework, then either hands the terminal to Gogo's JLine shell
 * or runs commands from {@code -c} or stdin and stops cleanly.
 */
public final class Main {

    private static final long DEFAULT_SETTLE_TIMEOUT_MS = 120_000;

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(LaunchOptions.parse(args), System.out, System.err);
        } catch (LaunchOptions.UsageException e) {
            System.err.println("cordon: " + e.getMessage());
            System.err.println("Try 'cordon --help'.");
            status = 2;
        } catch (Exception e) {
            System.err.println("cordon: cannot start: " + e.getMessage());
            e.printStackTrace();
            status = 3;
        }
        // Bundles may leave non-daemon threads behind; the framework is stopped, so end the JVM.
        System.exit(status);
    }

    static int run(LaunchOptions options, PrintStream out, PrintStream err) throws Exception {
        if (options.help) {
            out.println(LaunchOptions.USAGE);
            return 0;
        }
        String version = Main.class.getPackage().getImplementationVersion();
        if (options.version) {
            out.println("cordon " + version);
            return 0;
        }
        boolean scripted = options.commands != null || System.console() == null;
        Map<String, String> config = LauncherConfig.load(options);
        MainFramework framework = new MainFramework(config, !scripted, err);
        Thread hook = new Thread(framework::stop, "cordon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        framework.start();
        long settleTimeout = Long.parseLong(config.getOrDefault(LauncherConfig.SETTLE_TIMEOUT, "" + DEFAULT_SETTLE_TIMEOUT_MS));
        if (!scripted) {
            // The JLine shell is already on the terminal; report readiness without holding it up.
            Thread reporter = new Thread(() -> reportReady(framework, config, version, settleTimeout, err), "cordon-ready");
            reporter.setDaemon(true);
            reporter.start();
            framework.awaitStop();
            return 0;
        }
        reportReady(framework, config, version, settleTimeout, err);
        int status;
        try (ScriptRunner runner = new ScriptRunner(framework.context(), System.in, out, err)) {
            status = options.commands != null
                    ? runner.run(options.commands)
                    : runner.run(new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())));
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        if (!framework.stop()) {
            err.println("cordon: the framework did not stop in time");
            status = Math.max(status, 1);
        }
        return status;
    }

    private static void reportReady(MainFramework framework, Map<String, String> config, String version,
                                    long timeoutMs, PrintStream err) {
        try {
            boolean settled = framework.awaitSettled(timeoutMs);
            long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            if (settled) {
                err.printf("Cordon %s ready in %d ms (Felix %s, Java %s, %s mode)%n", version, ms,
                        framework.frameworkVersion(), Runtime.version(), config.get(LauncherConfig.MODE));
            } else {
                err.printf("cordon: start-up did not settle within %d ms; continuing (check the log above)%n", timeoutMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
