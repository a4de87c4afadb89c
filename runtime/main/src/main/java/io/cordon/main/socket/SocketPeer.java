package io.cordon.main.socket;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.osgi.service.log.Logger;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FramedChannel;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.CordonRsa;
import io.cordon.common.rsa.EndpointMessage;
import io.cordon.common.rsa.EndpointProperties;
import io.cordon.common.rsa.ExportedService;
import io.cordon.common.rsa.KeptEndpoints;
import io.cordon.common.rsa.RsaConnection;
import io.cordon.common.rsa.RsaExecutors;
import io.cordon.main.log.Untrusted;

/**
 * One authenticated peer framework on the socket transport, either direction, over the channel a
 * renderer's pipes use ({@link FramedChannel}: a bounded outbound queue and its own writer, a byte budget,
 * a reader loop that owns every failure). This side's cordon.socket endpoints are announced to it; its
 * announcements are known here and imported when someone asks. The peer is untrusted exactly like a
 * renderer: the connection is strict, and a protocol violation closes it with one AUDIT line.
 */
final class SocketPeer {

    private static final int MAX_ENDPOINTS = 256;

    private final String uuid;
    private final String remote;
    private final Link link;
    private final CordonRsa rsa;
    private final Logger log;
    private final Consumer<SocketPeer> closed;
    private final FramedChannel channel;
    private final RsaConnection connection;
    private final boolean openedHere;
    /** Counted down when the peer has announced its endpoints or the connection closed, whichever comes first. */
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean synced;
    private final KeptEndpoints kept;
    private final AtomicBoolean isClosed = new AtomicBoolean();

    /** @param openedHere whether this side opened the connection */
    SocketPeer(String uuid, Link link, boolean openedHere, CordonRsa rsa, RsaExecutors executors, SocketConfig config, Logger log,
               Consumer<SocketPeer> closed) {
        this.uuid = uuid;
        this.openedHere = openedHere;
        this.remote = link.remote();
        this.link = link;
        this.rsa = rsa;
        this.log = log;
        this.closed = closed;
        long bufferBytes = (long) config.buffer_mb() << 20;
        ByteBudget budget = new ByteBudget("its buffer budget (buffer.mb = " + config.buffer_mb() + ")", bufferBytes);
        this.kept = new KeptEndpoints(MAX_ENDPOINTS, budget);
        String name = "socket peer " + uuid;
        this.channel = new FramedChannel(name, link.in(), link.out(), new FramedChannel.Limits(Contract.MAX_FRAME_BYTES,
                Contract.MAX_MESSAGE_TO_MAIN, Contract.MAX_OPEN_MESSAGES_TO_MAIN, bufferBytes), budget, new Owner());
        this.connection = new RsaConnection(name + " (" + remote + ")", channel, rsa.codec(), executors.invoker(),
                executors.callbacks(), executors.timer(),
                new RsaConnection.Limits(config.max_in_flight(), config.max_in_flight(), config.call_timeout_ms(),
                        config.max_call_rate(), true, config.invoker_threads()),
                budget, (from, message) -> announced(message), this::violation);
    }

    String uuid() {
        return uuid;
    }

    String remote() {
        return remote;
    }

    boolean openedHere() {
        return openedHere;
    }

    /** Queues a greeting message (the verdict), before anything else the channel sends. */
    void greet(Map<String, String> greeting) throws IOException {
        channel.send(FrameType.RSA_HELLO, 0, Messages.map(greeting));
    }

    /** Starts reading on its own thread, then announces this side's endpoints and says so (RSA_SYNCED). */
    void open() throws IOException {
        channel.handle(FrameType.RSA_SYNCED, m -> {
            synced = true;
            settled.countDown();
        });
        connection.open();
        Thread reader = new Thread(() -> channel.readLoop(message -> {
            throw new ProtocolException("unexpected frame " + message + " from a socket peer");
        }), "cordon-socket-" + uuid);
        reader.setDaemon(true);
        reader.start();
        for (ExportedService service : rsa.exports(EndpointProperties.SOCKET_CONFIG)) {
            offer(service);
        }
        channel.send(FrameType.RSA_SYNCED, 0, new byte[0]);
    }

    /** Waits until the peer has announced its endpoints (true), or the connection closed or time is up (false). */
    boolean awaitSynced(long timeoutMs) throws InterruptedException {
        settled.await(timeoutMs, TimeUnit.MILLISECONDS);
        return synced && !isClosed.get();
    }

    boolean isClosed() {
        return isClosed.get();
    }

    /** How long the peer has not read what it is sent, ms. */
    long stalledMs() {
        return channel.stalledMs();
    }

    void offer(ExportedService service) {
        try {
            connection.announce(service, id -> true);
        } catch (IOException e) {
            close("cannot reach it: " + e.getMessage());
        }
    }

    void withdraw(ExportedService service) {
        try {
            connection.withdraw(service);
        } catch (IOException e) {
            close("cannot reach it: " + e.getMessage());
        }
    }

    private void announced(EndpointMessage message) throws ProtocolException {
        kept.count();
        if (EndpointMessage.REMOVE.equals(message.op())) {
            kept.removed(message.handle());
        } else {
            kept.keep(message);
        }
        try {
            rsa.announced(connection, uuid, EndpointProperties.SOCKET_CONFIG, message);
        } catch (RuntimeException e) {
            throw new ProtocolException("RSA_ENDPOINT " + message.handle() + " is invalid: " + e.getMessage());
        }
    }

    private void violation(String what) {
        if (!isClosed.get()) {
            log.audit("bad-message: socket peer {} ({}) {}; closing the connection", uuid, remote,
                    Untrusted.text(what, Untrusted.MAX_CHARS));
            close("bad-message");
        }
    }

    void close(String reason) {
        if (isClosed.compareAndSet(false, true)) {
            channel.stopReading();
            channel.close();
            link.close();
            connection.close(reason);
            rsa.disconnected(connection);
            closed.accept(this);
            settled.countDown();
        }
    }

    /** How the channel's reader ended: the peer's failures are its own, never main's. */
    private final class Owner implements FramedChannel.Owner {
        @Override
        public void violation(String what) {
            SocketPeer.this.violation(what);
        }

        @Override
        public void ended(IOException cause) {
            close("the connection closed");
        }

        @Override
        public void error(Error error) {
            log.error("socket peer {}: handling its message raised {}; closing the connection", uuid, error.toString());
            close("handling its message raised " + error);
        }
    }
}
