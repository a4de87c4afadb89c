package io.cordon.main.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.log.Logger;

import io.cordon.api.RendererType;

/**
 * The renderers' cgroups under main's group: one per renderer process, named {@code cordon-renderer-ID-PID},
 * created with its limits as soon as the process runs (the JVM has not read a single bundle yet), removed
 * when it exits. Whatever the renderer forked is killed with it ({@code cgroup.kill}), so none outlives it.
 */
final class CgroupTree {

    /** cpu.max's period: the quota is a share of it. */
    static final long CPU_PERIOD_US = 100_000;
    private static final long MIN_CPU_QUOTA_US = 1_000;
    private static final int REMOVE_ATTEMPTS = 40;
    private static final long REMOVE_PAUSE_MS = 50;

    /** Removes an empty group (rmdir on the cgroup file system, which takes its interface files along). */
    interface Remover {
        void remove(Path group) throws IOException;
    }

    private final Path base;
    private final Set<String> controllers;
    private final Logger log;
    private final Remover remover;

    CgroupTree(Path base, Set<String> controllers, Logger log, Remover remover) {
        this.base = base;
        this.controllers = Set.copyOf(controllers);
        this.log = log;
        this.remover = remover;
    }

    Path base() {
        return base;
    }

    /** The part of {@code wanted} this machine can apply: the limits whose controller is enabled, and its nice. */
    RendererType.Resources applicable(RendererType.Resources wanted) {
        return new RendererType.Resources(wanted.nice(), controllers.contains("cpu") ? wanted.cpu() : 0,
                controllers.contains("memory") ? wanted.memoryMb() : 0, controllers.contains("pids") ? wanted.pids() : 0);
    }

    /** The interface files to write for these limits, and their values (only the limits set). */
    static Map<String, String> limitFiles(RendererType.Resources limits) {
        Map<String, String> files = new LinkedHashMap<>();
        if (limits.cpu() > 0) {
            long quota = Math.max(MIN_CPU_QUOTA_US, Math.round(limits.cpu() * CPU_PERIOD_US));
            files.put("cpu.max", quota + " " + CPU_PERIOD_US);
        }
        if (limits.memoryMb() > 0) {
            files.put("memory.max", Long.toString(limits.memoryMb() << 20));
        }
        if (limits.pids() > 0) {
            files.put("pids.max", Integer.toString(limits.pids()));
        }
        return files;
    }

    /**
     * Puts {@code process} (renderer {@code id}) into a new group with {@code limits}, to be removed when
     * it exits; on failure nothing is left behind and the exception says what failed.
     */
    void place(int id, Process process, RendererType.Resources limits) throws IOException {
        Path group = base.resolve("cordon-renderer-" + id + "-" + process.pid());
        Files.createDirectory(group);
        try {
            Map<String, String> files = limitFiles(limits);
            if (controllers.contains("cpu") && limits.nice() > 0) {
                // A group's threads share its weight: the renderer's nice must be its group's weight too.
                files.put("cpu.weight.nice", Integer.toString(Math.min(19, limits.nice())));
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                CgroupSetup.write(group.resolve(file.getKey()), file.getValue());
            }
            CgroupSetup.write(group.resolve("cgroup.procs"), Long.toString(process.pid()));
        } catch (IOException e) {
            remove(group);
            throw new IOException("cannot put renderer " + id + " into cgroup " + group + ": " + e.getMessage(), e);
        }
        process.onExit().thenRunAsync(() -> remove(group));
    }

    /** Kills what is left in the group (a renderer's own children), then removes it; retries while it empties. */
    void remove(Path group) {
        IOException last = null;
        for (int attempt = 0; attempt < REMOVE_ATTEMPTS; attempt++) {
            try {
                remover.remove(group);
                return;
            } catch (IOException e) {
                last = e;
                killRemaining(group);
            }
            try {
                Thread.sleep(REMOVE_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.warn("cgroup {} could not be removed: {}", group, last == null ? "interrupted" : last.getMessage());
    }

    private static void killRemaining(Path group) {
        try {
            Path kill = group.resolve("cgroup.kill");
            if (Files.exists(kill)) {
                CgroupSetup.write(kill, "1");
                return;
            }
        } catch (IOException e) {
            // an older kernel: kill them one by one below
        }
        for (String pid : CgroupSetup.words(group.resolve("cgroup.procs"))) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
