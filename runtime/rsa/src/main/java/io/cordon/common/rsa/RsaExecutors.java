package io.cordon.common.rsa;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools of one side's RSA: invokers run the services peers call, callbacks complete
 * asynchronous results off the reader threads, the timer expires calls. Daemon threads, idle ones time
 * out. The invoker pool grows on demand: each peer's {@link RsaConnection.Limits#invokerQuota() quota}
 * bounds what it may occupy, so the pool is bounded by the sum of the quotas (and a hard cap).
 */
public record RsaExecutors(ThreadPoolExecutor invoker, ThreadPoolExecutor callbacks, ScheduledThreadPoolExecutor timer) {

    private static final int QUEUE = 1024;
    private static final int MAX_INVOKERS = 1024;

    public static RsaExecutors create(String prefix) {
        ThreadPoolExecutor invoker = new ThreadPoolExecutor(0, MAX_INVOKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named(prefix + "-invoker"), new ThreadPoolExecutor.AbortPolicy());
        // A full callback queue completes on the caller's thread: slower, never lost.
        ThreadPoolExecutor callbacks = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                named(prefix + "-callback"), new ThreadPoolExecutor.CallerRunsPolicy());
        callbacks.allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named(prefix + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        return new RsaExecutors(invoker, callbacks, timer);
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
