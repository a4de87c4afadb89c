package io.cordon.launcher;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bin/cordon}: starts the main framework, then either runs the interactive shell on the terminal
 * or runs commands from {@code -c} or stdin, and stops cleanly.
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
        RunFolder tmp = RunFolder.create(Path.of(config.get(LauncherConfig.DATA)));
        InteractiveShell shell = scripted ? null : InteractiveShell.open(Path.of(config.get(LauncherConfig.DATA)).resolve("history"));
        if (scripted) {
            // stdout carries results only: whatever else writes to System.out (a bundle stopping late, say) goes to stderr.
            System.setOut(err);
        }
        MainFramework framework = new MainFramework(config, tmp, System.err);
        Thread hook = new Thread(() -> {
            framework.stop();
            tmp.delete();
        }, "cordon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int status;
        try {
            framework.start();
            reportReady(framework, config, version, System.err);
            status = shell != null ? interactive(shell, framework) : scripted(options, framework, out, err);
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
            if (!framework.stop()) {
                System.err.println("cordon: the framework did not stop in time");
                status = 1;
            }
            if (shell != null) {
                shell.close();
            }
            System.setOut(out);
            tmp.delete();
        }
        return status;
    }

    private static int interactive(InteractiveShell shell, MainFramework framework) throws Exception {
        // Another way out than the shell's (Felix's 'stop 0'): the shell ends with the framework.
        Thread reader = Thread.currentThread();
        AtomicBoolean shellDone = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                framework.awaitStop();
                if (!shellDone.get()) {
                    reader.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cordon-framework-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            shell.run(framework.context(), framework::isActive);
        } finally {
            shellDone.set(true);
            Thread.interrupted();
        }
        return 0;
    }

    private static int scripted(LaunchOptions options, MainFramework framework, PrintStream out, PrintStream err)
            throws Exception {
        try (GogoSession session = new GogoSession(framework.context(), System.in, out, err)) {
            CommandRunner runner = new CommandRunner(session, new CommandUsage(framework.context()), out,
                    line -> err.println("cordon: " + line));
            return options.commands != null
                    ? (runner.run(options.commands) == CommandRunner.Outcome.FAILED ? 1 : 0)
                    : runner.run(new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())));
        }
    }

    private static void reportReady(MainFramework framework, Map<String, String> config, String version, PrintStream err) {
        long timeoutMs = Long.parseLong(config.getOrDefault(LauncherConfig.SETTLE_TIMEOUT, "" + DEFAULT_SETTLE_TIMEOUT_MS));
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
