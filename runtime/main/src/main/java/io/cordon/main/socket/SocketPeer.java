package io.cordon.main.socket;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.osgi.service.log.Logger;

import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.CordonRsa;
import io.cordon.common.rsa.EndpointMessage;
import io.cordon.common.rsa.EndpointProperties;
import io.cordon.common.rsa.ExportedService;
import io.cordon.common.rsa.RsaConnection;
import io.cordon.common.rsa.RsaExecutors;

/**
 * One authenticated peer framework on the socket transport, either direction: this side's cordon.socket
 * endpoints are announced to it, its announcements are known here (imported when someone asks). The peer
 * is untrusted exactly like a renderer: the connection is strict, and a protocol violation closes it with
 * one AUDIT line.
 */
final class SocketPeer {

    private static final int MAX_ENDPOINTS = 256;

    private final String uuid;
    private final String remote;
    private final StreamChannel channel;
    private final CordonRsa rsa;
    private final Logger log;
    private final Consumer<SocketPeer> closed;
    private final RsaConnection connection;
    private final CountDownLatch synced = new CountDownLatch(1);
    private final Set<Long> announced = ConcurrentHashMap.newKeySet();
    /** Not the peer's lock: a sender blocked on a full socket holds that one until the socket closes. */
    private final AtomicBoolean isClosed = new AtomicBoolean();

    SocketPeer(String uuid, String remote, StreamChannel channel, CordonRsa rsa, RsaExecutors executors, SocketConfig config,
               Logger log, Consumer<SocketPeer> closed) {
        this.uuid = uuid;
        this.remote = remote;
        this.channel = channel;
        this.rsa = rsa;
        this.log = log;
        this.closed = closed;
        this.connection = new RsaConnection("socket peer " + uuid + " (" + remote + ")", channel, StreamChannel.MAX_FRAME_BYTES,
                rsa.codec(), executors.invoker(), executors.callbacks(), executors.timer(),
                new RsaConnection.Limits(config.max_in_flight(), config.max_in_flight(), config.call_timeout_ms(),
                        config.max_call_rate(), true),
                (from, message) -> announced(message), this::violation);
    }

    String uuid() {
        return uuid;
    }

    /** Starts reading on its own thread, then announces this side's endpoints and says so (RSA_SYNCED). */
    void open() throws IOException {
        channel.handle(FrameType.RSA_SYNCED, m -> synced.countDown());
        connection.open();
        Thread reader = new Thread(() -> {
            channel.run(this::violation);
            close("the connection closed");
        }, "cordon-socket-" + uuid);
        reader.setDaemon(true);
        reader.start();
        for (ExportedService service : rsa.exports(EndpointProperties.SOCKET_CONFIG)) {
            offer(service);
        }
        channel.send(FrameType.RSA_SYNCED, 0, new byte[0]);
    }

    /** Waits until the peer has announced its endpoints. */
    boolean awaitSynced(long timeoutMs) throws InterruptedException {
        return synced.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    synchronized void offer(ExportedService service) {
        if (!connection.isClosed()) {
            try {
                connection.announce(service, id -> true);
            } catch (IOException e) {
                close("cannot reach it: " + e.getMessage());
            }
        }
    }

    synchronized void withdraw(ExportedService service) {
        try {
            connection.withdraw(service);
        } catch (IOException e) {
            close("cannot reach it: " + e.getMessage());
        }
    }

    private void announced(EndpointMessage message) throws ProtocolException {
        if (!Set.of(EndpointMessage.ADD, EndpointMessage.UPDATE, EndpointMessage.REMOVE).contains(message.op())) {
            throw new ProtocolException("RSA_ENDPOINT with unknown op");
        }
        if (message.op().equals(EndpointMessage.REMOVE)) {
            announced.remove(message.handle());
        } else if (message.interfaces().isEmpty()) {
            throw new ProtocolException("RSA_ENDPOINT " + message.handle() + " names no interface");
        } else if (announced.add(message.handle()) && announced.size() > MAX_ENDPOINTS) {
            throw new ProtocolException("more than " + MAX_ENDPOINTS + " endpoints announced");
        }
        try {
            rsa.announced(connection, uuid, EndpointProperties.SOCKET_CONFIG, message);
        } catch (RuntimeException e) {
            throw new ProtocolException("RSA_ENDPOINT " + message.handle() + " is invalid: " + e.getMessage());
        }
    }

    private void violation(String what) {
        if (!channel.isClosed()) {
            log.audit("bad-message: socket peer {} ({}) {}; closing the connection", uuid, remote, what);
            close("bad-message");
        }
    }

    void close(String reason) {
        channel.close();
        if (isClosed.compareAndSet(false, true)) {
            connection.close(reason);
            rsa.disconnected(connection);
            closed.accept(this);
        }
    }
}
