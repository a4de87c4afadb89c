package io.cordon.main.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Reports jars in the deploy folder that are not bundles. FileInstall 3.7.4 silently skips such a file
 * (its bundle handler declines it and it retries at every poll without a word), so a user who drops a
 * corrupt jar would see nothing happen. This guard watches the same folder, at the same pace, and logs
 * one ERROR per broken file version. It never touches the file nor FileInstall's work.
 */
@Component(immediate = true, service = {})
public final class DeployFolderGuard {

    static final String DIR_PROPERTY = "felix.fileinstall.dir";
    static final String POLL_PROPERTY = "felix.fileinstall.poll";
    /** FileInstall's own defaults, so the guard watches what FileInstall watches when they are unset. */
    private static final String DEFAULT_DIR = "load";
    private static final long DEFAULT_POLL_MS = 2000;

    private final Logger log;
    private final Path dir;
    private final ScheduledExecutorService scheduler;
    /** Stamps seen at the previous scan: a file is checked once it has stopped changing (not mid-copy). */
    private Map<Path, FileStamp> previous = Map.of();
    /** The stamp each file had when it was last checked, so each broken version is reported once. */
    private final Map<Path, FileStamp> checked = new HashMap<>();

    @Activate
    public DeployFolderGuard(BundleContext context, @Reference LoggerFactory loggers) {
        this.log = loggers.getLogger(DeployFolderGuard.class);
        this.dir = Path.of(valueOr(context.getProperty(DIR_PROPERTY), DEFAULT_DIR)).toAbsolutePath();
        long pollMs = pollMs(context.getProperty(POLL_PROPERTY));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DeployFolderGuard::daemon);
        scheduler.scheduleWithFixedDelay(this::scanSafely, 0, pollMs, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    private void scanSafely() {
        try {
            scan();
        } catch (IOException | RuntimeException e) {
            // a folder that vanished or is unreadable is FileInstall's to report; keep the schedule alive
            log.debug("deploy: cannot scan {}: {}", dir, e.toString());
        }
    }

    void scan() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Map<Path, FileStamp> now = stampJars();
        now.forEach((file, stamp) -> {
            if (stamp.equals(previous.get(file)) && !stamp.equals(checked.get(file))) {
                checked.put(file, stamp);
                JarCheck.problem(file).ifPresent(reason -> log.error(
                        "deploy: {} is not a valid bundle: {}; fix or remove it", file, reason));
            }
        });
        checked.keySet().retainAll(now.keySet());
        previous = now;
    }

    private Map<Path, FileStamp> stampJars() throws IOException {
        Map<Path, FileStamp> stamps = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .forEach(f -> FileStamp.of(f).ifPresent(stamp -> stamps.put(f, stamp)));
        }
        return stamps;
    }

    private static String valueOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static long pollMs(String value) {
        try {
            return value == null ? DEFAULT_POLL_MS : Math.max(50, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_POLL_MS;
        }
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "cordon-deploy-guard");
        thread.setDaemon(true);
        return thread;
    }
}
