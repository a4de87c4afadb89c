package io.cordon.common.rsa;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools of one side's RSA: invokers run the services peers call, callbacks complete
 * asynchronous results and deliver RSA events off the reader threads, the timer expires calls. Daemon
 * threads, idle ones time out. Both pools grow on demand and each peer has a quota of them
 * ({@link RsaConnection.Limits#invokerQuota()}, {@link RsaConnection#CALLBACK_QUOTA}), so a peer whose
 * calls or callbacks are slow occupies its quota and never another peer's threads; the pools are bounded by
 * the sum of the quotas (and a hard cap).
 */
public record RsaExecutors(ThreadPoolExecutor invoker, ThreadPoolExecutor callbacks, ScheduledThreadPoolExecutor timer) {

    /** Threads of each pool at most. */
    private static final int MAX_THREADS = 1024;

    public static RsaExecutors create(String prefix) {
        // Callbacks never wait in a fixed queue that, once full, runs them on the thread that hands them over (a
        // channel's reader): they wait in their peer's QuotaExecutor, bounded by its calls in flight. Only past the
        // cap (256 peers with 4 blocked callbacks each) or once stopped is one refused: a Promise then runs it on
        // the resolving thread (its own fallback), a CompletableFuture's dependant fails with the refusal.
        ThreadPoolExecutor invoker = growing(prefix + "-invoker");
        ThreadPoolExecutor callbacks = growing(prefix + "-callback");
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named(prefix + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        return new RsaExecutors(invoker, callbacks, timer);
    }

    /** Threads made as tasks come (none waits in a queue), up to the cap; an idle one ends after 30 s. */
    private static ThreadPoolExecutor growing(String name) {
        return new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), named(name),
                new ThreadPoolExecutor.AbortPolicy());
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public void shutdown() {
        invoker.shutdownNow();
        callbacks.shutdownNow();
        timer.shutdownNow();
    }
}
