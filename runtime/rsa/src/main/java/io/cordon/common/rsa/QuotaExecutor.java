package io.cordon.common.rsa;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * One peer's share of a shared pool: at most {@code quota} of its tasks run at once; the rest wait in
 * its own queue (bounded by its calls in flight), so a peer with slow or many calls occupies its quota
 * and never another peer's threads. A task runs on the caller's thread when the caller can take it (the
 * channel's reader, see {@code Channel.runOnReader}), else on the pool; either way it counts against the
 * quota. A pool thread that finishes a task takes the peer's next one itself. As an {@link Executor} it never
 * runs a task on the calling thread: that is how callbacks stay off the channel's reader, however many wait.
 */
final class QuotaExecutor implements Executor {

    private final Executor pool;
    private final int quota;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    QuotaExecutor(Executor pool, int quota) {
        this.pool = pool;
        this.quota = Math.max(1, quota);
    }

    /** Runs {@code task} on the pool, or after the peer's earlier tasks when its quota is taken; never on this thread. */
    @Override
    public void execute(Runnable task) {
        execute(task, here -> false);
    }

    /**
     * Runs {@code task} now, on the calling thread if {@code here} agrees to run it, else on the pool; or,
     * when the peer's quota is taken, after its earlier tasks. Throws RejectedExecutionException when the
     * pool refuses.
     */
    void execute(Runnable task, Predicate<Runnable> here) {
        synchronized (this) {
            if (running >= quota || !waiting.isEmpty()) {
                waiting.add(task);
                return;
            }
            running++;
        }
        if (here.test(() -> runHere(task))) {
            return;
        }
        try {
            pool.execute(() -> drain(task));
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /** After a task run here, the peer's next waiting task goes to the pool: this thread has reading to do. */
    private void runHere(Runnable task) {
        try {
            task.run();
        } finally {
            Runnable next = next();
            if (next != null) {
                try {
                    pool.execute(() -> drain(next));
                } catch (RejectedExecutionException e) {
                    // The pool is shut down: this side is stopping and its connections close with their calls.
                    release();
                }
            }
        }
    }

    private void drain(Runnable first) {
        Runnable task = first;
        while (task != null) {
            try {
                task.run();
            } finally {
                task = next();
            }
        }
    }

    /** The peer's next waiting task, keeping its slot; or null, giving the slot back. */
    private synchronized Runnable next() {
        Runnable task = waiting.poll();
        if (task == null) {
            running--;
        }
        return task;
    }

    private synchronized void release() {
        running--;
    }
}
