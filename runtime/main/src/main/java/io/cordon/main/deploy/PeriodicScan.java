package io.cordon.main.deploy;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a folder scan runs next without a {@link FolderWatch} waking it: at the poll interval while the watch
 * cannot be relied on (no watch service, a folder missing or not watched) or a file is still settling (a
 * jar being written, or one not yet stable long enough to be judged), which no further event would announce;
 * else only at {@link #SAFETY_MS}, for what inotify does not see (another host writing to a network file
 * system). Idle folders so cost a scan every 10 s instead of two a second. Each scan moves the one pending
 * scan ({@link #after}, from the executor's thread only); a watch's event asks for one ({@link #request}).
 */
final class PeriodicScan {

    static final long SAFETY_MS = 10_000;

    private final ScheduledExecutorService executor;
    private final Runnable scan;
    private final long pollMs;
    private final AtomicBoolean requested = new AtomicBoolean();
    private ScheduledFuture<?> pending;

    PeriodicScan(ScheduledExecutorService executor, Runnable scan, long pollMs) {
        this.executor = executor;
        this.scan = scan;
        this.pollMs = pollMs;
    }

    /** A watched folder changed: one scan soon on the executor, however many events come meanwhile (any thread). */
    void request() {
        if (requested.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    requested.set(false);
                    scan.run();
                });
            } catch (RejectedExecutionException e) {
                // closed: main is stopping
            }
        }
    }

    /** After a scan: schedules the next one, {@link #delayMs} from now, in place of any pending one. */
    void after(boolean watched, boolean settling) {
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            pending = executor.schedule(scan, delayMs(pollMs, watched, settling), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: main is stopping
        }
    }

    /** After a scan that failed or left work behind: the next one at the poll interval, whatever the watch says. */
    void soon() {
        after(false, true);
    }

    static long delayMs(long pollMs, boolean watched, boolean settling) {
        return watched && !settling ? Math.max(pollMs, SAFETY_MS) : pollMs;
    }
}
