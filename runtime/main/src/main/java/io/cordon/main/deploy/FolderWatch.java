package io.cordon.main.deploy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Calls {@code onChange} as soon as an entry of a watched folder is created, modified or deleted
 * (inotify on Linux), so a dropped jar need not wait for the next periodic scan. Only a wake-up: the
 * caller scans, and its periodic scan covers what a watch cannot (a folder created later): it polls while
 * {@link #covers} is false ({@link PeriodicScan}). An overflow of the event queue wakes the scan too.
 */
final class FolderWatch implements AutoCloseable {

    private final WatchService service;
    private final Runnable onChange;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private boolean closed;

    /** A watch, or an inactive one when the platform has none (the periodic scan still works). */
    FolderWatch(Runnable onChange, String threadName) {
        this.onChange = onChange;
        WatchService created;
        try {
            created = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            created = null;
        }
        this.service = created;
        if (service != null) {
            RendererHotDeploy.daemon(this::run, threadName).start();
        }
    }

    /** Watches exactly these folders from now on (the existing ones; call again when others appear). */
    synchronized void watch(Set<Path> folders) {
        if (service == null || closed) {
            return; // closing: a key cancelled as the service closes throws ClosedWatchServiceException
        }
        keys.entrySet().removeIf(e -> {
            boolean drop = !folders.contains(e.getKey()) || !e.getValue().isValid();
            if (drop) {
                e.getValue().cancel();
            }
            return drop;
        });
        for (Path folder : folders) {
            if (!keys.containsKey(folder) && Files.isDirectory(folder)) {
                try {
                    keys.put(folder, folder.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException | ClosedWatchServiceException e) {
                    // gone again, or closing: the periodic scan covers it
                }
            }
        }
    }

    /** Whether a change in any of these folders wakes the scan: each exists and is watched. */
    synchronized boolean covers(Set<Path> folders) {
        return service != null && !closed && folders.stream().allMatch(f -> {
            WatchKey key = keys.get(f);
            return key != null && key.isValid();
        });
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents();
                key.reset();
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
