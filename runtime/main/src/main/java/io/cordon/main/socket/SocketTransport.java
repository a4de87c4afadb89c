package io.cordon.main.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.remoteserviceadmin.EndpointDescription;

import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.CordonRsa;
import io.cordon.common.rsa.EndpointProperties;
import io.cordon.common.rsa.ExportedService;
import io.cordon.main.rsa.MainRsa;
import io.cordon.main.rsa.SocketLink;

/**
 * The socket transport, RSA configuration type {@code cordon.socket}: listens on a Unix domain socket
 * and/or TCP with TLS, and connects on demand when an endpoint of another framework is imported, one
 * connection per peer framework whichever side opened it. Off unless PID {@code io.cordon.socket} is
 * configured. A peer is authenticated (mutual TLS, the shared-secret challenge) and must be the framework
 * the endpoint names before any RSA frame flows; after that it is as untrusted as a renderer.
 */
@Component(service = {}, immediate = true, configurationPid = "io.cordon.socket", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SocketConfig.class)
public final class SocketTransport implements SocketLink {

    private final SocketConfig config;
    private final MainRsa main;
    private final CordonRsa rsa;
    private final Logger log;
    private final byte[] secret;
    private final SSLContext tls;
    private final List<Link.Listener> listeners = new ArrayList<>();
    private final Map<String, SocketPeer> peers = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> drainCheck;
    private final Acceptor acceptor;

    @Activate
    public SocketTransport(BundleContext context, SocketConfig config, @Reference MainRsa main,
                           @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this.config = config;
        this.main = main;
        this.rsa = main.rsa();
        this.log = log;
        this.secret = config._secret().getBytes(StandardCharsets.UTF_8);
        this.acceptor = new Acceptor(config.max_peers(), this::greet, log);
        this.tls = config.tls_keystore().isBlank() ? null : TlsSockets.context(Path.of(config.tls_keystore()),
                config._tls_keystore_password().toCharArray(), path(config.tls_truststore(), "tls.truststore"),
                config._tls_truststore_password().toCharArray());
        try {
            if (config.unix()) {
                if (secret.length < 16) {
                    throw new IllegalArgumentException("io.cordon.socket: a Unix socket needs .secret, a shared secret of at least 16 bytes "
                            + "that every framework allowed to connect is configured with; or set unix=false");
                }
                listeners.add(UnixSockets.listen(unixFolder(context, config)));
            }
            if (config.tls_port() >= 0) {
                if (tls == null) {
                    throw new IllegalArgumentException("io.cordon.socket: tls.port is set, so tls.keystore and tls.truststore must name PKCS12 files");
                }
                String advertised = config.tls_advertised_host().isBlank() ? config.tls_host() : config.tls_advertised_host();
                listeners.add(TlsSockets.listen(tls, config.tls_host(), config.tls_port(), advertised));
            }
            if (listeners.isEmpty() && tls == null) {
                throw new IllegalArgumentException("io.cordon.socket: neither unix, tls.port nor tls.keystore is set; "
                        + "nothing to listen on or connect with");
            }
        } catch (IOException | RuntimeException e) {
            listeners.forEach(SocketTransport::closeQuietly);
            throw e;
        }
        listeners.forEach(acceptor::start);
        this.drainCheck = main.executors().timer().scheduleWithFixedDelay(this::drain, 1, 1, TimeUnit.SECONDS);
        log.info("socket transport: listening on {}{}", addresses(), tls == null ? "" : "; connects over TLS");
        main.sockets(this);
    }

    @Deactivate
    void deactivate() {
        drainCheck.cancel(false);
        main.sockets(null);
        listeners.forEach(SocketTransport::closeQuietly);
        List.copyOf(peers.values()).forEach(p -> p.close("the socket transport is stopping"));
    }

    @Override
    public List<String> addresses() {
        return listeners.stream().map(Link.Listener::address).toList();
    }

    @Override
    public void offer(ExportedService service) {
        peers.values().forEach(p -> p.offer(service));
    }

    @Override
    public void withdraw(ExportedService service) {
        peers.values().forEach(p -> p.withdraw(service));
    }

    // ---- the client side ----

    @Override
    public void connect(EndpointDescription endpoint) throws IOException {
        String uuid = endpoint.getFrameworkUUID();
        if (uuid == null || peers.containsKey(uuid)) {
            return;
        }
        List<String> addresses = EndpointProperties.strings(endpoint.getProperties().get(EndpointProperties.SOCKET_ADDRESS));
        if (addresses.isEmpty()) {
            throw new IOException("endpoint " + endpoint.getId() + " has no " + EndpointProperties.SOCKET_ADDRESS);
        }
        List<String> failures = new ArrayList<>();
        for (String address : addresses) {
            try {
                connect(address, uuid);
                return;
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        throw new IOException("cannot connect to framework " + uuid + ": " + String.join("; ", failures));
    }

    private synchronized void connect(String address, String uuid) throws IOException {
        if (peers.containsKey(uuid)) {
            return;
        }
        Link link = open(address);
        ScheduledFuture<?> guard = guard(link);
        try {
            Handshake handshake = new Handshake(secret, rsa.frameworkUuid());
            Greetings.write(link.out(), handshake.hello(uuid));
            Greetings.write(link.out(), handshake.confirm(Greetings.read(link.in()), uuid));
            SocketPeer peer = admit(uuid, link);
            if (!peer.awaitSynced(config.handshake_timeout_ms())) {
                peer.close("it did not announce its endpoints in time");
                throw new IOException(address + " did not announce its endpoints within " + config.handshake_timeout_ms() + " ms");
            }
        } catch (ProtocolException e) {
            link.close();
            log.warn("socket transport: refused {} (framework {}): {}", address, uuid, e.getMessage());
            throw new IOException(address + " refused: " + e.getMessage(), e);
        } catch (IOException e) {
            link.close();
            throw new IOException(address + ": " + e.getMessage() + (address.startsWith(TlsSockets.SCHEME)
                    ? " (a TLS peer closes the connection when its trust store does not vouch for this framework's certificate)" : ""), e);
        } catch (InterruptedException e) {
            link.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + address, e);
        } finally {
            guard.cancel(false);
        }
    }

    private Link open(String address) throws IOException {
        if (address.startsWith(UnixSockets.SCHEME)) {
            return UnixSockets.connect(address);
        }
        if (address.startsWith(TlsSockets.SCHEME)) {
            if (tls == null) {
                throw new IOException("cannot reach " + address + ": TLS is off here (set tls.keystore and tls.truststore of io.cordon.socket)");
            }
            return TlsSockets.connect(tls, address, (int) config.handshake_timeout_ms());
        }
        throw new IOException("unknown address scheme in " + address + " (expected unix: or tls:)");
    }

    // ---- the server side ----

    /** Authenticates an incoming connection; whatever goes wrong is logged and closes it, nothing is served. */
    private void greet(Link link) {
        ScheduledFuture<?> guard = guard(link);
        try {
            if (peers.size() >= config.max_peers()) {
                throw new ProtocolException("already " + config.max_peers() + " peers connected (max.peers)");
            }
            Handshake handshake = new Handshake(secret, rsa.frameworkUuid());
            Handshake.Answer answer = handshake.answer(Greetings.read(link.in()));
            Greetings.write(link.out(), answer.message());
            handshake.accept(Greetings.read(link.in()), answer);
            guard.cancel(false);
            admit(answer.clientUuid(), link);
        } catch (IOException e) {
            guard.cancel(false);
            link.close();
            log.warn("socket transport: refused {}: {}", link.remote(), e.getMessage());
        }
    }

    private synchronized SocketPeer admit(String uuid, Link link) throws IOException {
        if (peers.containsKey(uuid)) {
            throw new ProtocolException("framework " + uuid + " is already connected");
        }
        SocketPeer peer = new SocketPeer(uuid, link, rsa, main.executors(), config, log, p -> peers.remove(p.uuid(), p));
        peers.put(uuid, peer);
        peer.open();
        log.info("socket transport: framework {} connected ({})", uuid, link.remote());
        return peer;
    }

    /** Disconnects peers that have not read what they are sent for the drain timeout (one supervisor tick). */
    private void drain() {
        for (SocketPeer peer : List.copyOf(peers.values())) {
            long stalled = peer.stalledMs();
            if (stalled > config.drain_timeout_ms()) {
                log.warn("socket transport: framework {} has not read its channel for {} ms; disconnecting it", peer.uuid(), stalled);
                peer.close("it stopped reading its channel");
            }
        }
    }

    /** Closes a connection that has not finished its greeting in time. */
    private ScheduledFuture<?> guard(Link link) {
        return main.executors().timer().schedule(link::close, config.handshake_timeout_ms(), TimeUnit.MILLISECONDS);
    }

    private static Path unixFolder(BundleContext context, SocketConfig config) {
        if (!config.unix_folder().isBlank()) {
            return Path.of(config.unix_folder());
        }
        String data = context.getProperty("cordon.data");
        return data != null ? Path.of(data, "socket") : context.getDataFile("socket").toPath();
    }

    private static Path path(String value, String name) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("io.cordon.socket: tls.keystore is set, so " + name + " must name a PKCS12 file too");
        }
        return Path.of(value);
    }

    private static void closeQuietly(Link.Listener listener) {
        try {
            listener.close();
        } catch (IOException e) {
            // stopping anyway
        }
    }
}
