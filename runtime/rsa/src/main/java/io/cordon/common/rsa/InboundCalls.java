package io.cordon.common.rsa;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgi.framework.ServiceException;
import org.osgi.util.promise.Promise;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormatException;

/**
 * The calls the peer makes on this side's endpoints: on main's side of a renderer, the whole surface a
 * hostile renderer can reach, readable on its own.
 *
 * <p>The reader thread checks each call (endpoint announced to this peer, method allowed, call id new,
 * calls in flight, rate, bytes held), then decodes the arguments and invokes the service within this
 * peer's share of the invoker threads: on the reader thread itself when one of its share is free (the
 * channel hands reading to another thread should the call take long, so a slow service never stalls the
 * channel), else on the shared pool. A peer with slow or many calls only ever waits for its own quota. On a <em>strict</em> connection,
 * anything the peer could only send on purpose or by corruption is a {@link ProtocolException} (or a
 * {@code violation} off the reader thread): the channel's owner kills the peer with reason bad-message.
 */
final class InboundCalls {

    /** Calls refused by the rate limit in a row after which a strict connection's peer is a flood. */
    private static final int FLOOD_REFUSALS = 1000;

    private final RsaConnection connection;
    private final Announcements announcements;
    private final RsaConnection.Limits limits;
    private final QuotaExecutor invoker;
    private final ByteBudget budget;
    private final Consumer<String> violation;
    private final RateLimiter rate;
    private final IpcStats stats;
    private final Map<Integer, Running> running = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger refusedInARow = new AtomicInteger();

    /** A call being served, and the bytes of it charged to the budget. A synchronous invocation is never interrupted; a cancel drops its result. */
    private static final class Running {
        final int bytes;
        volatile CompletableFuture<?> async;
        volatile boolean cancelled;

        Running(int bytes) {
            this.bytes = bytes;
        }

        void cancel() {
            cancelled = true;
            CompletableFuture<?> a = async;
            if (a != null) {
                a.cancel(true);
            }
        }
    }

    InboundCalls(RsaConnection connection, Announcements announcements, RsaConnection.Limits limits, QuotaExecutor invoker,
                 ByteBudget budget, Consumer<String> violation, IpcStats stats) {
        this.connection = connection;
        this.announcements = announcements;
        this.limits = limits;
        this.invoker = invoker;
        this.budget = budget;
        this.violation = violation;
        this.stats = stats;
        this.rate = new RateLimiter(limits.maxCallsPerSecond());
    }

    int inFlight() {
        return inFlight.get();
    }

    void onCall(Frame message) throws ProtocolException {
        int callId = message.stream();
        byte[] payload = message.payload();
        long handle = CallHeader.handle(payload);
        int methodId = CallHeader.method(payload);
        stats.callsIn.increment();
        stats.bytesIn.add(payload.length);
        Announcements.Announced target = announcements.get(handle);
        if (target == null) {
            if (announcements.wasWithdrawn(handle) || !limits.strict()) {
                reject(callId, new ServiceException("endpoint " + handle + " is no longer exported to " + connection.peer(),
                        ServiceException.REMOTE));
                return;
            }
            throw new ProtocolException("call " + callId + " to endpoint " + handle + ", which was never exported to it");
        }
        MethodCodec method = target.service().method(methodId);
        if (method == null || !target.allowed().contains(methodId)) {
            String what = method == null ? "method id " + methodId : method.signature();
            if (limits.strict()) {
                throw new ProtocolException("call " + callId + " to " + what + " of endpoint " + handle + " "
                        + target.service().description().getInterfaces() + ", which is not allowed to it");
            }
            reject(callId, new UnsupportedOperationException(what + " is not exported to " + connection.peer()));
            return;
        }
        if (inFlight.get() >= limits.maxInFlightIn()) {
            throw new ProtocolException("more than " + limits.maxInFlightIn() + " calls in flight");
        }
        if (running.containsKey(callId)) {
            throw new ProtocolException("call id " + callId + " reused while that call is still running");
        }
        if (!rate.tryAcquire()) {
            if (limits.strict() && refusedInARow.incrementAndGet() > FLOOD_REFUSALS) {
                throw new ProtocolException("call flood: more than " + FLOOD_REFUSALS + " calls in a row above the rate of "
                        + (long) limits.maxCallsPerSecond() + "/s");
            }
            reject(callId, new ServiceException(connection.peer() + " exceeds its call rate of " + (long) limits.maxCallsPerSecond()
                    + "/s; call refused", ServiceException.REMOTE));
            return;
        }
        refusedInARow.set(0);
        budget.charge(payload.length, "call " + callId + " waiting for a thread");
        Running run = new Running(payload.length);
        running.put(callId, run);
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        try {
            invoker.execute(() -> invoke(callId, run, target.service(), method, payload, start), connection::runOnReader);
        } catch (RejectedExecutionException e) {
            finish(callId);
            reject(callId, new ServiceException("the service pool is full; call refused", ServiceException.REMOTE));
        }
    }

    private void invoke(int callId, Running run, ExportedService target, MethodCodec method, byte[] payload, long start) {
        Object[] args;
        try {
            args = method.decodeArguments(payload, CallHeader.CALL_BYTES, payload.length - CallHeader.CALL_BYTES);
        } catch (WireFormatException | RuntimeException e) {
            finish(callId);
            String what = "call " + callId + " to " + method.signature() + " with arguments that do not decode: " + e.getMessage();
            if (limits.strict()) {
                violation.accept(what);
            } else {
                reject(callId, new IllegalArgumentException(what));
            }
            return;
        }
        if (run.cancelled) {
            finish(callId);
            return;
        }
        Object service = target.service();
        if (service == null) {
            finish(callId);
            reject(callId, new ServiceException("the exported service is gone", ServiceException.REMOTE));
            return;
        }
        Object value;
        try {
            value = method.method().invoke(service, args);
        } catch (InvocationTargetException e) {
            complete(callId, method, null, e.getCause(), start);
            return;
        } catch (IllegalAccessException | RuntimeException e) {
            complete(callId, method, null, e, start);
            return;
        }
        if (!method.async() || value == null) {
            complete(callId, method, value, null, start);
        } else {
            CompletableFuture<?> async = asyncValue(value);
            run.async = async;
            async.whenComplete((v, t) -> complete(callId, method, v, AsyncReturn.unwrap(t), start));
        }
    }

    /** The asynchronous result as a CompletableFuture; no thread waits on it except for a plain Future. */
    private CompletableFuture<?> asyncValue(Object value) {
        if (value instanceof CompletionStage<?> stage) {
            return stage.toCompletableFuture();
        }
        CompletableFuture<Object> out = new CompletableFuture<>();
        if (value instanceof Promise<?> promise) {
            promise.onResolve(() -> {
                try {
                    Throwable failure = promise.getFailure();
                    if (failure != null) {
                        out.completeExceptionally(failure);
                    } else {
                        out.complete(promise.getValue());
                    }
                } catch (InterruptedException | InvocationTargetException e) {
                    out.completeExceptionally(e);
                }
            });
        } else {
            // A plain Future offers no callback: one of this peer's invoker threads waits for it (documented).
            Future<?> future = (Future<?>) value;
            try {
                out.complete(future.get(limits.defaultTimeoutMs(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                out.completeExceptionally(e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                future.cancel(true);
                out.completeExceptionally(e);
            }
        }
        return out;
    }

    private void complete(int callId, MethodCodec method, Object value, Throwable failure, long start) {
        Running run = finish(callId);
        if (run == null || run.cancelled) {
            return;
        }
        try {
            byte[] body = failure == null
                    ? CallHeader.result(CallHeader.OK, method.encodeResult(value))
                    : CallHeader.result(CallHeader.FAILED, connection.codec().encodeFailure(failure));
            connection.send(FrameType.RSA_RESULT, callId, body);
        } catch (IOException | RuntimeException e) {
            reject(callId, new ServiceException("cannot send the result of " + method.signature() + ": " + e, ServiceException.REMOTE));
        }
        stats.served.record(System.nanoTime() - start);
    }

    private Running finish(int callId) {
        Running run = running.remove(callId);
        if (run != null) {
            inFlight.decrementAndGet();
            budget.release(run.bytes);
        }
        return run;
    }

    private void reject(int callId, Throwable why) {
        stats.rejected.increment();
        try {
            connection.send(FrameType.RSA_RESULT, callId, CallHeader.result(CallHeader.FAILED, connection.codec().encodeFailure(why)));
        } catch (IOException e) {
            // the channel is gone or full; the peer's call fails on its side
        }
    }

    void onCancel(Frame message) {
        Running run = running.get(message.stream());
        if (run != null) {
            run.cancel();
        }
    }

    /** The peer is gone: every running call is cancelled. */
    void close() {
        running.values().forEach(Running::cancel);
    }
}
