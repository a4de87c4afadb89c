package io.cordon.common.rsa;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.ServiceException;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormatException;

/**
 * The calls this side makes on the peer's endpoints, multiplexed by call id, each with its timeout
 * armed as soon as it is queued (sending never blocks: the channel queues). A late answer to a call
 * that timed out or was cancelled is dropped; on a strict connection an answer to a call never made
 * is a violation.
 */
final class OutboundCalls {

    private record Pending(Method method, MethodCodec codec, CompletableFuture<Object> result, long startNanos) {
    }

    private final RsaConnection connection;
    private final RsaConnection.Limits limits;
    private final Executor callbacks;
    private final ScheduledExecutorService timer;
    private final IpcStats stats;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger callIds = new AtomicInteger();

    OutboundCalls(RsaConnection connection, RsaConnection.Limits limits, Executor callbacks, ScheduledExecutorService timer,
                  IpcStats stats) {
        this.connection = connection;
        this.limits = limits;
        this.callbacks = callbacks;
        this.timer = timer;
        this.stats = stats;
    }

    int inFlight() {
        return pending.size();
    }

    /**
     * Calls method {@code wireId} of the peer's endpoint {@code handle}. On a strict connection the
     * timeout an endpoint asks for is capped by this side's default: the peer never sets how long this
     * side waits.
     */
    Object call(long handle, int wireId, Method method, MethodCodec codec, Object[] args, long requestedTimeoutMs) throws Throwable {
        long timeoutMs = limits.strict() ? Math.min(requestedTimeoutMs, limits.defaultTimeoutMs()) : requestedTimeoutMs;
        if (pending.size() >= limits.maxInFlightOut()) {
            throw new ServiceException("already " + limits.maxInFlightOut() + " calls in flight to " + connection.peer(),
                    ServiceException.REMOTE);
        }
        byte[] payload = CallHeader.call(handle, wireId, codec.encodeArguments(args));
        int callId = callIds.incrementAndGet();
        Pending call = new Pending(method, codec, new CompletableFuture<>(), System.nanoTime());
        pending.put(callId, call);
        stats.callsOut.increment();
        try {
            connection.send(FrameType.RSA_CALL, callId, payload);
        } catch (IOException e) {
            pending.remove(callId);
            throw new ServiceException("cannot reach " + connection.peer() + ": " + e.getMessage(), ServiceException.REMOTE, e);
        }
        if (codec.async()) {
            try {
                // Cancelled on completion: at a high call rate, expired-later tasks would fill the timer's queue.
                ScheduledFuture<?> timeout = timer.schedule(() -> expire(callId, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
                call.result().whenComplete((v, t) -> timeout.cancel(false));
            } catch (RejectedExecutionException e) {
                expire(callId, 0); // this side is stopping
            }
            return AsyncReturn.adapt(method.getReturnType(), call.result(), callbacks, () -> cancel(callId));
        }
        try {
            return call.result().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            cancel(callId);
            throw timedOut(codec, timeoutMs);
        } catch (InterruptedException e) {
            cancel(callId);
            Thread.currentThread().interrupt();
            throw new ServiceException("interrupted while calling " + codec.signature() + " on " + connection.peer(),
                    ServiceException.REMOTE, e);
        }
    }

    private void expire(int callId, long timeoutMs) {
        Pending call = pending.get(callId);
        if (call != null && call.result().completeExceptionally(timedOut(call.codec(), timeoutMs))) {
            cancel(callId);
        }
    }

    private ServiceException timedOut(MethodCodec codec, long timeoutMs) {
        return new ServiceException(connection.peer() + " did not answer " + codec.signature() + " within " + timeoutMs + " ms",
                ServiceException.REMOTE);
    }

    private void cancel(int callId) {
        if (pending.remove(callId) != null) {
            try {
                connection.send(FrameType.RSA_CANCEL, callId, new byte[0]);
            } catch (IOException e) {
                // the peer is gone or not reading; nothing to cancel there
            }
        }
    }

    void onResult(Frame message) throws ProtocolException {
        int callId = message.stream();
        Pending call = pending.remove(callId);
        byte[] payload = message.payload();
        stats.bytesIn.add(payload.length);
        if (call == null) {
            if (limits.strict() && (callId <= 0 || callId > callIds.get())) {
                throw new ProtocolException("RSA_RESULT for call " + callId + ", which was never made");
            }
            return; // a late answer to a call that timed out or was cancelled
        }
        stats.called.record(System.nanoTime() - call.startNanos());
        try {
            if (CallHeader.status(payload) == CallHeader.OK) {
                call.result().complete(call.codec().decodeResult(payload, 1, payload.length - 1));
            } else {
                call.result().completeExceptionally(RemoteFailures.rebuild(
                        connection.codec().decodeFailure(payload, 1, payload.length - 1), call.method()));
            }
        } catch (WireFormatException | ProtocolException e) {
            call.result().completeExceptionally(new ServiceException(connection.peer() + " answered " + call.codec().signature()
                    + " with a result that does not decode: " + e.getMessage(), ServiceException.REMOTE));
            if (limits.strict()) {
                throw new ProtocolException("RSA_RESULT for call " + callId + " does not decode: " + e.getMessage());
            }
        }
    }

    /** The peer is gone: every call in flight fails now. */
    void close(ServiceException gone) {
        for (Integer id : pending.keySet()) {
            Pending call = pending.remove(id);
            if (call != null) {
                call.result().completeExceptionally(gone);
            }
        }
    }
}
