package io.cordon.common.rsa;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * One peer's share of a shared pool: at most {@code quota} of its tasks run at once; the rest wait in
 * its own queue (bounded by its calls in flight), so a peer with slow or many calls occupies its quota
 * and never another peer's threads. A thread that finishes a task takes the peer's next one itself.
 * A task may also run on the caller's thread ({@link #executeHere}), counted the same way.
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

    /** Runs {@code task} now or after this peer's earlier tasks; throws RejectedExecutionException when the pool refuses. */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (running >= quota) {
                waiting.add(task);
                return;
            }
            running++;
        }
        try {
            pool.execute(() -> drain(task));
        } catch (RuntimeException e) {
            synchronized (this) {
                running--;
            }
            throw e;
        }
    }

    /**
     * Runs {@code task} on the calling thread when this peer has a free thread of its quota and nothing
     * waiting, and {@code here} agrees to run it (the channel's reader, see {@code Channel.runOnReader});
     * else as {@link #execute}. It counts against the quota while it runs.
     */
    void executeHere(Runnable task, Predicate<Runnable> here) {
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
        synchronized (this) {
            running--;
        }
        execute(task);
    }

    /** After a task run here, the peer's next waiting task goes to the pool: this thread has reading to do. */
    private void runHere(Runnable task) {
        try {
            task.run();
        } finally {
            Runnable next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    running--;
                }
            }
            if (next != null) {
                dispatch(next);
            }
        }
    }

    private void dispatch(Runnable first) {
        try {
            pool.execute(() -> drain(first));
        } catch (RejectedExecutionException e) {
            // The pool is shut down: this side is stopping and its connections close with their calls.
            synchronized (this) {
                running--;
            }
        }
    }

    private void drain(Runnable first) {
        Runnable task = first;
        while (task != null) {
            try {
                task.run();
            } finally {
                synchronized (this) {
                    task = waiting.poll();
                    if (task == null) {
                        running--;
                    }
                }
            }
        }
    }
}
