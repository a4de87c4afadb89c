package io.cordon.common.rsa;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgi.framework.ServiceException;
import org.osgi.util.promise.Promise;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormatException;

/**
 * The RSA protocol on one channel, both directions: the endpoints this side announced to the peer and
 * the calls the peer makes on them, and the calls this side makes on the peer's endpoints. Calls are
 * multiplexed by call id (the frame's stream). The reader thread only routes; arguments are decoded
 * and services invoked on the invoker pool, so a slow service never stalls the channel.
 *
 * <p>On a <em>strict</em> connection (main's side of a renderer) anything the peer could only send on
 * purpose or by corruption — a call to an endpoint never announced, a method not allowed, arguments that
 * do not decode into the declared types, more calls in flight than allowed, a result for a call never
 * made — is a {@link ProtocolException}: the channel's owner kills the peer with reason bad-message.
 */
public final class RsaConnection {

    /** Bounds of one connection. */
    public record Limits(int maxInFlightIn, int maxInFlightOut, long defaultTimeoutMs, double maxCallsPerSecond,
                         boolean strict) {
    }

    /** What this side does with the peer's endpoint announcements (on the reader thread). */
    @FunctionalInterface
    public interface EndpointSink {
        void announced(RsaConnection from, EndpointMessage message) throws IOException;
    }

    private static final int LARGE_SENDS = 2;
    /** Calls refused by the rate limit in a row after which a strict connection's peer is a flood. */
    private static final int FLOOD_REFUSALS = 1000;
    private static final int WITHDRAWN_MEMORY = 4096;

    private final String peer;
    private final Channel channel;
    private final int maxFrameBytes;
    private final Codec codec;
    private final Executor invoker;
    private final Executor callbacks;
    private final ScheduledExecutorService timer;
    private final Limits limits;
    private final EndpointSink sink;
    private final Consumer<String> violation;
    private final RateLimiter rate;
    private final IpcStats stats = new IpcStats();
    private final Map<Long, Announced> exports = new ConcurrentHashMap<>();
    private final Set<Long> withdrawn = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > WITHDRAWN_MEMORY;
        }
    }));
    private final Map<Integer, Running> running = new ConcurrentHashMap<>();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger callIds = new AtomicInteger();
    private final AtomicInteger inFlightIn = new AtomicInteger();
    private final AtomicInteger refusedInARow = new AtomicInteger();
    private final Semaphore largeSends = new Semaphore(LARGE_SENDS);
    private volatile String closed;

    private record Announced(ExportedService service, Set<Integer> allowed) {
    }

    private record Pending(Method method, MethodCodec codec, CompletableFuture<Object> result, long startNanos) {
    }

    /** A call of the peer's being served. A synchronous invocation is never interrupted; a cancel drops its result. */
    private static final class Running {
        volatile CompletableFuture<?> async;
        volatile boolean cancelled;
    }

    /**
     * @param peer       names the peer in logs and errors ("renderer 3 (markdown)", "main")
     * @param violation  called with a description when a strict connection's peer breaks the protocol
     *                   off the reader thread (the owner kills the peer)
     */
    public RsaConnection(String peer, Channel channel, int maxFrameBytes, Codec codec, Executor invoker, Executor callbacks,
                         ScheduledExecutorService timer, Limits limits, EndpointSink sink, Consumer<String> violation) {
        this.peer = peer;
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
        this.codec = codec;
        this.invoker = invoker;
        this.callbacks = callbacks;
        this.timer = timer;
        this.limits = limits;
        this.sink = sink;
        this.violation = violation;
        this.rate = new RateLimiter(limits.maxCallsPerSecond());
    }

    /** Starts routing the channel's RSA frames to this connection. */
    public void open() {
        channel.handle(FrameType.RSA_ENDPOINT, this::onEndpoint);
        channel.handle(FrameType.RSA_CALL, this::onCall);
        channel.handle(FrameType.RSA_RESULT, this::onResult);
        channel.handle(FrameType.RSA_CANCEL, this::onCancel);
    }

    public String peer() {
        return peer;
    }

    public Codec codec() {
        return codec;
    }

    public long defaultTimeoutMs() {
        return limits.defaultTimeoutMs();
    }

    public IpcStats.Snapshot stats() {
        return stats.snapshot(inFlightIn.get(), pending.size());
    }

    // ---- endpoints this side exports to the peer ----

    /** Announces (or re-announces) an export; the peer may call exactly the methods {@code allowed} accepts. */
    public void announce(ExportedService service, java.util.function.IntPredicate allowed) throws IOException {
        String op = exports.containsKey(service.handle()) ? EndpointMessage.UPDATE : EndpointMessage.ADD;
        EndpointMessage message = service.announcement(op, allowed);
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        message.methods().forEach(m -> ids.add(m.id()));
        exports.put(service.handle(), new Announced(service, ids));
        withdrawn.remove(service.handle());
        send(FrameType.RSA_ENDPOINT, 0, codec.encode(message));
    }

    public void withdraw(ExportedService service) throws IOException {
        if (exports.remove(service.handle()) != null) {
            withdrawn.add(service.handle());
            send(FrameType.RSA_ENDPOINT, 0, codec.encode(EndpointMessage.remove(service.handle())));
        }
    }

    public boolean announced(ExportedService service) {
        return exports.containsKey(service.handle());
    }

    /** Endpoint handle → the wire ids the peer may call, for {@code cordon:exports}. */
    public Map<ExportedService, Set<Integer>> exports() {
        Map<ExportedService, Set<Integer>> out = new LinkedHashMap<>();
        exports.values().forEach(a -> out.put(a.service(), Set.copyOf(a.allowed())));
        return out;
    }

    private void onEndpoint(Frame message) throws IOException {
        EndpointMessage decoded;
        try {
            decoded = codec.decode(message.payload(), 0, message.payload().length, EndpointMessage.class);
        } catch (WireFormatException e) {
            throw new ProtocolException("RSA_ENDPOINT does not decode: " + e.getMessage());
        }
        sink.announced(this, decoded);
    }

    // ---- calls from the peer ----

    private void onCall(Frame message) throws ProtocolException {
        int callId = message.stream();
        byte[] payload = message.payload();
        long handle = CallHeader.handle(payload);
        int methodId = CallHeader.method(payload);
        stats.callsIn.increment();
        stats.bytesIn.add(payload.length);
        Announced target = exports.get(handle);
        if (target == null) {
            if (withdrawn.contains(handle) || !limits.strict()) {
                reject(callId, new ServiceException("endpoint " + handle + " is no longer exported to " + peer, ServiceException.REMOTE));
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
            reject(callId, new UnsupportedOperationException(what + " is not exported to " + peer));
            return;
        }
        if (inFlightIn.get() >= limits.maxInFlightIn()) {
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
            reject(callId, new ServiceException(peer + " exceeds its call rate of " + (long) limits.maxCallsPerSecond()
                    + "/s; call refused", ServiceException.REMOTE));
            return;
        }
        refusedInARow.set(0);
        Running run = new Running();
        running.put(callId, run);
        inFlightIn.incrementAndGet();
        long start = System.nanoTime();
        try {
            invoker.execute(() -> invoke(callId, run, target.service(), method, payload, start));
        } catch (RejectedExecutionException e) {
            finish(callId);
            reject(callId, new ServiceException("the service pool is full; call refused", ServiceException.REMOTE));
        }
    }

    private void invoke(int callId, Running run, ExportedService target, MethodCodec method, byte[] payload, long start) {
        Object[] args;
        try {
            args = method.decodeArguments(payload, CallHeader.CALL_BYTES, payload.length - CallHeader.CALL_BYTES);
        } catch (WireFormatException e) {
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
            // A plain Future offers no callback: one invoker thread waits for it (documented).
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
                    : CallHeader.result(CallHeader.FAILED, codec.encodeFailure(failure));
            send(FrameType.RSA_RESULT, callId, body);
        } catch (IOException | RuntimeException e) {
            reject(callId, new ServiceException("cannot send the result of " + method.signature() + ": " + e, ServiceException.REMOTE));
        }
        stats.served.record(System.nanoTime() - start);
    }

    private Running finish(int callId) {
        Running run = running.remove(callId);
        if (run != null) {
            inFlightIn.decrementAndGet();
        }
        return run;
    }

    private void reject(int callId, Throwable why) {
        stats.rejected.increment();
        try {
            send(FrameType.RSA_RESULT, callId, CallHeader.result(CallHeader.FAILED, codec.encodeFailure(why)));
        } catch (IOException e) {
            // the channel is gone; the peer's calls fail on its side
        }
    }

    private void onCancel(Frame message) {
        Running run = running.get(message.stream());
        if (run != null) {
            run.cancelled = true;
            CompletableFuture<?> async = run.async;
            if (async != null) {
                async.cancel(true);
            }
        }
    }

    // ---- calls this side makes on the peer's endpoints ----

    /**
     * Calls method {@code wireId} of the peer's endpoint {@code handle}. A synchronous method blocks
     * for at most {@code timeoutMs}; an asynchronous one returns at once, adapted to {@code method}'s
     * return type, and fails after the timeout.
     */
    public Object call(long handle, int wireId, Method method, MethodCodec codec, Object[] args, long timeoutMs) throws Throwable {
        String gone = closed;
        if (gone != null) {
            throw new ServiceException(peer + " is gone (" + gone + ")", ServiceException.REMOTE);
        }
        if (pending.size() >= limits.maxInFlightOut()) {
            throw new ServiceException("already " + limits.maxInFlightOut() + " calls in flight to " + peer, ServiceException.REMOTE);
        }
        byte[] payload = CallHeader.call(handle, wireId, codec.encodeArguments(args));
        int callId = callIds.incrementAndGet();
        Pending call = new Pending(method, codec, new CompletableFuture<>(), System.nanoTime());
        pending.put(callId, call);
        stats.callsOut.increment();
        try {
            send(FrameType.RSA_CALL, callId, payload);
        } catch (IOException e) {
            pending.remove(callId);
            throw new ServiceException("cannot reach " + peer + ": " + e.getMessage(), ServiceException.REMOTE, e);
        }
        if (codec.async()) {
            timer.schedule(() -> expire(callId, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
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
            throw new ServiceException("interrupted while calling " + codec.signature() + " on " + peer, ServiceException.REMOTE, e);
        }
    }

    private void expire(int callId, long timeoutMs) {
        Pending call = pending.get(callId);
        if (call != null && call.result().completeExceptionally(timedOut(call.codec(), timeoutMs))) {
            cancel(callId);
        }
    }

    private ServiceException timedOut(MethodCodec codec, long timeoutMs) {
        return new ServiceException(peer + " did not answer " + codec.signature() + " within " + timeoutMs + " ms", ServiceException.REMOTE);
    }

    private void cancel(int callId) {
        if (pending.remove(callId) != null) {
            try {
                send(FrameType.RSA_CANCEL, callId, new byte[0]);
            } catch (IOException e) {
                // the peer is gone; nothing to cancel there
            }
        }
    }

    private void onResult(Frame message) throws ProtocolException {
        int callId = message.stream();
        Pending call = pending.remove(callId);
        byte[] payload = message.payload();
        stats.bytesIn.add(payload.length);
        if (call == null) {
            if (callId <= 0 || callId > callIds.get()) {
                if (limits.strict()) {
                    throw new ProtocolException("RSA_RESULT for call " + callId + ", which was never made");
                }
            }
            return; // a late answer to a call that timed out or was cancelled
        }
        stats.called.record(System.nanoTime() - call.startNanos());
        try {
            if (CallHeader.status(payload) == CallHeader.OK) {
                call.result().complete(call.codec().decodeResult(payload, 1, payload.length - 1));
            } else {
                call.result().completeExceptionally(RemoteFailures.rebuild(codec.decodeFailure(payload, 1, payload.length - 1), call.method()));
            }
        } catch (WireFormatException | ProtocolException e) {
            call.result().completeExceptionally(new ServiceException(peer + " answered " + call.codec().signature()
                    + " with a result that does not decode: " + e.getMessage(), ServiceException.REMOTE));
            if (limits.strict()) {
                throw new ProtocolException("RSA_RESULT for call " + callId + " does not decode: " + e.getMessage());
            }
        }
    }

    // ---- both ----

    private void send(byte type, int stream, byte[] payload) throws IOException {
        boolean large = payload.length > maxFrameBytes - Frame.HEADER_BYTES;
        if (large) {
            // The peer buffers at most a few chunked messages at once; never send more than that.
            largeSends.acquireUninterruptibly();
        }
        try {
            channel.send(type, stream, payload);
            stats.bytesOut.add(payload.length);
        } finally {
            if (large) {
                largeSends.release();
            }
        }
    }

    /** The peer is gone: every call in flight fails now, every running call is cancelled. */
    public void close(String reason) {
        closed = reason;
        ServiceException gone = new ServiceException(peer + " is gone (" + reason + ")", ServiceException.REMOTE);
        for (Integer id : pending.keySet()) {
            Pending call = pending.remove(id);
            if (call != null) {
                call.result().completeExceptionally(gone);
            }
        }
        running.values().forEach(run -> {
            run.cancelled = true;
            CompletableFuture<?> async = run.async;
            if (async != null) {
                async.cancel(true);
            }
        });
        exports.clear();
    }

    public boolean isClosed() {
        return closed != null;
    }

}
