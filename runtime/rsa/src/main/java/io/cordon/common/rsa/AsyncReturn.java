package io.cordon.common.rsa;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.PromiseFactory;

/**
 * Adapts a pending remote call to the return type the caller declared (osgi.async): a Promise, or a
 * CompletableFuture for CompletionStage/CompletableFuture/Future. Completion runs on the callback
 * executor, never on the channel's reader thread, and no thread waits per call.
 */
final class AsyncReturn {

    private AsyncReturn() {
    }

    static Object adapt(Class<?> returnType, CompletableFuture<Object> result, Executor callbacks, Runnable cancel) {
        if (returnType == Promise.class) {
            // Resolving only hands the Promise's callbacks to the callback executor, so it may run on the
            // completing thread: one hand-off, not two.
            Deferred<Object> deferred = new PromiseFactory(callbacks).deferred();
            result.whenComplete((v, t) -> {
                if (t == null) {
                    deferred.resolve(v);
                } else {
                    deferred.fail(unwrap(t));
                }
            });
            return deferred.getPromise();
        }
        // Completing a CompletableFuture runs its dependants on the completing thread: hand it off.
        CompletableFuture<Object> user = new CompletableFuture<>();
        result.whenCompleteAsync((v, t) -> {
            if (t == null) {
                user.complete(v);
            } else {
                user.completeExceptionally(unwrap(t));
            }
        }, callbacks);
        user.whenComplete((v, t) -> {
            if (t instanceof CancellationException) {
                cancel.run();
            }
        });
        return user;
    }

    /** The failure a CompletableFuture stage saw, without its CompletionException wrapper. */
    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
