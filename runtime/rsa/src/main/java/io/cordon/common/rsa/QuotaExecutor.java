package io.cordon.common.rsa;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * One peer's share of a shared pool: at most {@code quota} of its tasks run at once; the rest wait in
 * its own queue (bounded by its calls in flight), so a peer with slow or many calls occupies its quota
 * and never another peer's threads. A thread that finishes a task takes the peer's next one itself.
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
