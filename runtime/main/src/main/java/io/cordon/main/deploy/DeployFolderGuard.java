package io.cordon.main.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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
 * corrupt jar would see nothing happen. This guard watches the same folder (a {@link FolderWatch}, and
 * periodic scans as {@link PeriodicScan} paces them: at FileInstall's pace while a file settles) and logs
 * one ERROR per broken file version. It never touches the file nor FileInstall's work.
 */
@Component(immediate = true, service = {})
public final class DeployFolderGuard {

    private final Logger log;
    private final BrokenJarScan scan;
    private final ScheduledExecutorService scheduler;
    private final FolderWatch watch;
    private final PeriodicScan periodic;

    @Activate
    public DeployFolderGuard(BundleContext context, @Reference LoggerFactory loggers) {
        this.log = loggers.getLogger(DeployFolderGuard.class);
        this.scan = new BrokenJarScan(DeploySettings.dir(context));
        long pollMs = DeploySettings.pollMs(context);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DeployFolderGuard::daemon);
        this.periodic = new PeriodicScan(scheduler, this::scanAndReport, pollMs);
        this.watch = new FolderWatch(periodic::request, "cordon-deploy-guard-watch");
        scheduler.execute(this::scanAndReport);
    }

    @Deactivate
    void deactivate() {
        watch.close();
        scheduler.shutdownNow();
    }

    private void scanAndReport() {
        Set<Path> folder = Set.of(scan.dir());
        watch.watch(folder);
        try {
            scan.scan().forEach((file, reason) ->
                    log.error("deploy: {} is not a valid bundle: {}; fix or remove it", file, reason));
            periodic.after(watch.covers(folder), scan.settling());
        } catch (IOException | RuntimeException e) {
            // a folder that vanished or is unreadable is FileInstall's to report; keep the schedule alive
            log.debug("deploy: cannot scan {}: {}", scan.dir(), e.toString());
            periodic.soon();
        }
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "cordon-deploy-guard");
        thread.setDaemon(true);
        return thread;
    }
}
