package io.cordon.common.rsa;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

import org.osgi.framework.ServiceException;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Channel;
import io.cordon.common.channel.FrameType;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;

/**
 * The RSA protocol on one channel, split by direction: {@link Announcements} (the endpoints each side
 * offers the other), {@link InboundCalls} (the peer's calls on this side's endpoints: on main's side of
 * a renderer, the whole bad-message surface) and {@link OutboundCalls} (this side's calls on the peer's).
 *
 * <p>On a <em>strict</em> connection (main's side of a renderer) anything the peer could only send on
 * purpose or by corruption is a protocol violation: the channel's owner kills the peer with reason
 * bad-message.
 */
public final class RsaConnection {

    /**
     * Bounds of one connection.
     *
     * @param invokerQuota threads of the shared invoker pool this peer's calls may occupy at once
     */
    public record Limits(int maxInFlightIn, int maxInFlightOut, long defaultTimeoutMs, double maxCallsPerSecond,
                         boolean strict, int invokerQuota) {
    }

    /** What this side does with the peer's endpoint announcements (on the reader thread). */
    @FunctionalInterface
    public interface EndpointSink {
        void announced(RsaConnection from, EndpointMessage message) throws IOException;
    }

    /**
     * Callbacks of this peer's asynchronous results that run at once; more wait for them. A callback that
     * blocks (on a call to a renderer that never answers, say) holds one of its peer's, never another peer's.
     */
    public static final int CALLBACK_QUOTA = 4;

    private final String peer;
    private final Channel channel;
    private final Codec codec;
    private final Limits limits;
    private final IpcStats stats = new IpcStats();
    private final Announcements announcements;
    private final InboundCalls inbound;
    private final OutboundCalls outbound;
    private volatile String closed;

    /**
     * @param peer      names the peer in logs and errors ("renderer 3 (markdown)", "main")
     * @param budget    bytes this side holds for the peer's calls until they are served are charged here
     * @param violation called with a description when a strict connection's peer breaks the protocol
     *                  off the reader thread (the owner kills the peer)
     */
    public RsaConnection(String peer, Channel channel, Codec codec, Executor invoker, Executor callbacks,
                         ScheduledExecutorService timer, Limits limits, ByteBudget budget, EndpointSink sink,
                         Consumer<String> violation) {
        this.peer = peer;
        this.channel = channel;
        this.codec = codec;
        this.limits = limits;
        this.announcements = new Announcements(this, sink);
        this.inbound = new InboundCalls(this, announcements, limits, new QuotaExecutor(invoker, limits.invokerQuota()), budget,
                violation, stats);
        this.outbound = new OutboundCalls(this, limits, new QuotaExecutor(callbacks, CALLBACK_QUOTA), timer, stats);
    }

    /** Starts routing the channel's RSA frames to this connection. */
    public void open() {
        channel.handle(FrameType.RSA_ENDPOINT, announcements::onEndpoint);
        channel.handle(FrameType.RSA_CALL, inbound::onCall);
        channel.handle(FrameType.RSA_RESULT, outbound::onResult);
        channel.handle(FrameType.RSA_CANCEL, inbound::onCancel);
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
        return stats.snapshot(inbound.inFlight(), outbound.inFlight());
    }

    // ---- endpoints this side exports to the peer ----

    /** Announces (or re-announces) an export; the peer may call exactly the methods {@code allowed} accepts. */
    public void announce(ExportedService service, IntPredicate allowed) throws IOException {
        announcements.announce(service, allowed);
    }

    public void withdraw(ExportedService service) throws IOException {
        announcements.withdraw(service);
    }

    public boolean announced(ExportedService service) {
        return announcements.announced(service);
    }

    /** Endpoint → the wire ids the peer may call, for {@code cordon:exports}. */
    public Map<ExportedService, Set<Integer>> exports() {
        return announcements.exports();
    }

    // ---- calls this side makes on the peer's endpoints ----

    /**
     * Calls method {@code wireId} of the peer's endpoint {@code handle}. A synchronous method blocks
     * for at most the timeout; an asynchronous one returns at once, adapted to {@code method}'s return
     * type, and fails after the timeout.
     */
    public Object call(long handle, int wireId, Method method, MethodCodec codec, Object[] args, long timeoutMs) throws Throwable {
        String gone = closed;
        if (gone != null) {
            throw new ServiceException(peer + " is gone (" + gone + ")", ServiceException.REMOTE);
        }
        return outbound.call(handle, wireId, method, codec, args, timeoutMs);
    }

    // ---- both ----

    /** See {@link Channel#runOnReader}. */
    boolean runOnReader(Runnable task) {
        return channel.runOnReader(task);
    }

    void send(byte type, int stream, byte[] payload) throws IOException {
        channel.send(type, stream, payload);
        stats.bytesOut.add(payload.length);
    }

    /** The peer is gone: every call in flight fails now, every running call is cancelled. */
    public void close(String reason) {
        closed = reason;
        outbound.close(new ServiceException(peer + " is gone (" + reason + ")", ServiceException.REMOTE));
        inbound.close();
        announcements.clear();
    }

    public boolean isClosed() {
        return closed != null;
    }
}
