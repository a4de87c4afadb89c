package io.cordon.common.rsa;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded thread pools of one side's RSA: invokers run the services peers call, callbacks complete
 * asynchronous results off the reader threads, the timer expires calls. Daemon threads, idle ones
 * time out; a full queue refuses work rather than growing.
 */
public record RsaExecutors(ThreadPoolExecutor invoker, ThreadPoolExecutor callbacks, ScheduledThreadPoolExecutor timer) {

    private static final int QUEUE = 1024;

    public static RsaExecutors create(String prefix, int invokerThreads) {
        ThreadPoolExecutor invoker = pool(prefix + "-invoker", invokerThreads, new ThreadPoolExecutor.AbortPolicy());
        // A full callback queue completes on the caller's thread: slower, never lost.
        ThreadPoolExecutor callbacks = pool(prefix + "-callback", 2, new ThreadPoolExecutor.CallerRunsPolicy());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named(prefix + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        return new RsaExecutors(invoker, callbacks, timer);
    }

    private static ThreadPoolExecutor pool(String name, int threads, java.util.concurrent.RejectedExecutionHandler rejected) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                named(name), rejected);
        pool.allowCoreThreadTimeOut(true);
        return pool;
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
