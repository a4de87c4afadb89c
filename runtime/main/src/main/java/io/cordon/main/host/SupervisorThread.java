package io.cordon.main.host;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

/**
 * The supervisor's one thread. Every decision about renderers runs on it, so edits, kills, crashes, stops
 * and limit changes never race: the parts of the supervisor ({@link TypeReconcile}, {@link Restarts},
 * {@link SpareRenderers}, {@link Launches}) keep their state unsynchronized and are called only from here.
 * Once main is stopping ({@link #stop()}) nothing new is decided.
 */
final class SupervisorThread {

    private final Logger log;
    private final ScheduledThreadPoolExecutor scheduler;
    private volatile boolean active = true;

    SupervisorThread(Logger log) {
        this.log = log;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "cordon-supervisor"));
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Whether main still supervises: false once it is stopping, when nothing is started or restarted any more. */
    boolean active() {
        return active;
    }

    /** Main is stopping: decisions still queued see {@link #active()} false. */
    void stop() {
        active = false;
    }

    /** The thread is gone; what was queued is dropped. */
    void shutdown() {
        scheduler.shutdownNow();
    }

    /** Runs the task on the thread; its failure is logged, and dropped silently once main is stopping. */
    void execute(Runnable task) {
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("renderer supervisor: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // main is stopping
        }
    }

    /** The promise the action returns when run on the thread; fails when main is stopping. */
    <T> Promise<T> promise(Supplier<Promise<T>> action) {
        Deferred<T> result = new Deferred<>();
        try {
            scheduler.execute(() -> {
                try {
                    result.resolveWith(action.get());
                } catch (RuntimeException e) {
                    result.fail(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.fail(new IllegalStateException("Cordon is stopping"));
        }
        return result.getPromise();
    }

    /** Throws {@link RejectedExecutionException} once the thread is gone. */
    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        return scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> every(Runnable task, long initialMs, long periodMs) {
        return scheduler.scheduleWithFixedDelay(task, initialMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** The timer a renderer's exec times out on. */
    ScheduledExecutorService timer() {
        return scheduler;
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
