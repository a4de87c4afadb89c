package io.cordon.main.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import io.cordon.main.host.DataFolder;
import io.cordon.main.rsa.MainRsa;
import io.cordon.main.rsa.SocketLink;

/**
 * The socket transport, RSA configuration type {@code cordon.socket}: listens on a Unix domain socket
 * and/or TCP with TLS, and connects on demand when an endpoint of another framework is imported, one
 * connection per peer framework whichever side opened it. Off unless PID {@code io.cordon.socket} is
 * configured. A peer is authenticated (mutual TLS, the shared-secret challenge) and must be the framework
 * the endpoint names before any RSA frame flows; after that it is as untrusted as a renderer. When two
 * frameworks connect to each other at once, the connection the smaller framework UUID opened stays
 * ({@link Admission}). Handshakes and waits run outside the transport's lock, each within its own peer's
 * {@code handshake.timeout.ms}.
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
    /** The connected peers by framework UUID, one each; changed under the lock. */
    private final Map<String, SocketPeer> peers = new ConcurrentHashMap<>();
    /** The peers this side is connecting to, and the outcome other connects to them wait for; guarded by the lock. */
    private final Map<String, CompletableFuture<SocketPeer>> dialing = new HashMap<>();
    private boolean stopped;
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
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
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

    /**
     * Connects to the framework {@code endpoint} names, unless it is connected or being connected to
     * already, and waits until it has announced its endpoints. Only the transport's bookkeeping is under
     * its lock, never a handshake or a wait: one peer's connection never holds up another's.
     */
    @Override
    public void connect(EndpointDescription endpoint) throws IOException {
        String uuid = endpoint.getFrameworkUUID();
        if (uuid == null) {
            return;
        }
        List<String> addresses = EndpointProperties.strings(endpoint.getProperties().get(EndpointProperties.SOCKET_ADDRESS));
        SocketPeer peer;
        CompletableFuture<SocketPeer> dial;
        boolean mine = false;
        synchronized (this) {
            peer = peers.get(uuid);
            dial = dialing.get(uuid);
            if (peer == null && dial == null) {
                if (stopped) {
                    throw new IOException("the socket transport is stopping");
                }
                if (peers.size() + dialing.size() >= config.max_peers()) {
                    throw new IOException("cannot connect to framework " + uuid + ": already " + config.max_peers()
                            + " peers connected or being connected to (max.peers)");
                }
                dial = new CompletableFuture<>();
                dialing.put(uuid, dial);
                mine = true;
            }
        }
        if (peer == null) {
            peer = mine ? dialFor(uuid, addresses, dial) : joined(uuid, dial, addresses.size());
        }
        awaitSynced(peer);
    }

    /** Connects to framework {@code uuid} on this thread; other connects to it meanwhile wait for {@code outcome}. */
    private SocketPeer dialFor(String uuid, List<String> addresses, CompletableFuture<SocketPeer> outcome) throws IOException {
        try {
            SocketPeer peer = dialAny(uuid, addresses);
            outcome.complete(peer);
            return peer;
        } catch (IOException | RuntimeException e) {
            outcome.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (this) {
                dialing.remove(uuid, outcome);
            }
        }
    }

    private SocketPeer dialAny(String uuid, List<String> addresses) throws IOException {
        if (addresses.isEmpty()) {
            throw new IOException("the endpoint of framework " + uuid + " has no " + EndpointProperties.SOCKET_ADDRESS);
        }
        List<String> failures = new ArrayList<>();
        for (String address : addresses) {
            try {
                return dial(uuid, address);
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        throw new IOException("cannot connect to framework " + uuid + ": " + String.join("; ", failures));
    }

    private SocketPeer dial(String uuid, String address) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.handshake_timeout_ms());
        Link link = open(address);
        Admission admission = greeted(link, address, uuid);
        switch (admission.verdict()) {
            case ADMIT -> {
                SocketPeer stale;
                SocketPeer peer;
                try {
                    synchronized (this) {
                        // The peer had no connection with this framework, so one here is a dead one it left.
                        stale = peers.get(uuid);
                        peer = admit(uuid, link, true, null);
                    }
                } catch (IOException e) {
                    link.close();
                    throw e;
                }
                if (stale != null) {
                    stale.close("it connected again");
                }
                start(peer);
                return peer;
            }
            case DUPLICATE -> {
                link.close();
                log.debug("socket transport: framework {} is connecting to this one at the same time; using its connection", uuid);
                return arrival(uuid, deadline);
            }
            default -> {
                link.close();
                throw new IOException(address + " refused this framework: " + admission.reason());
            }
        }
    }

    /** Runs the client's greeting on {@code link}: the server's verdict, or the link is closed and the failure thrown. */
    private Admission greeted(Link link, String address, String uuid) throws IOException {
        ScheduledFuture<?> guard = guard(link);
        try {
            Handshake handshake = new Handshake(secret, rsa.frameworkUuid());
            Greetings.write(link.out(), handshake.hello(uuid));
            Greetings.write(link.out(), handshake.confirm(Greetings.read(link.in()), uuid));
            Admission admission = Admission.of(Greetings.read(link.in()));
            if (!guard.cancel(false)) {
                throw new IOException("the greeting took over " + config.handshake_timeout_ms() + " ms");
            }
            return admission;
        } catch (ProtocolException e) {
            link.close();
            log.warn("socket transport: refused {} (framework {}): {}", address, uuid, e.getMessage());
            throw new IOException(address + " refused: " + e.getMessage(), e);
        } catch (IOException e) {
            link.close();
            throw new IOException(address + ": " + e.getMessage() + (address.startsWith(TlsSockets.SCHEME)
                    ? " (a TLS peer closes the connection when its trust store does not vouch for this framework's certificate)" : ""), e);
        } finally {
            guard.cancel(false);
        }
    }

    /** Waits until the connection framework {@code uuid} opens to this one is taken (it said it would be the one). */
    private synchronized SocketPeer arrival(String uuid, long deadline) throws IOException {
        while (true) {
            SocketPeer peer = peers.get(uuid);
            if (peer != null) {
                return peer;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || stopped) {
                throw new IOException("framework " + uuid + " said it was connecting to this one, but its connection did not come within "
                        + config.handshake_timeout_ms() + " ms");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for framework " + uuid, e);
            }
        }
    }

    /** The outcome of another thread's connect to framework {@code uuid}, waited for at most as long as that connect may take. */
    private SocketPeer joined(String uuid, CompletableFuture<SocketPeer> outcome, int addresses) throws IOException {
        try {
            return outcome.get(2 * config.handshake_timeout_ms() * Math.max(1, addresses), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("framework " + uuid + " is still being connected to", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to framework " + uuid, e);
        }
    }

    private void awaitSynced(SocketPeer peer) throws IOException {
        try {
            if (peer.awaitSynced(config.handshake_timeout_ms())) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while framework " + peer.uuid() + " announces its endpoints", e);
        }
        if (peer.isClosed()) {
            throw new IOException("the connection to framework " + peer.uuid() + " closed");
        }
        peer.close("it did not announce its endpoints in time");
        throw new IOException("framework " + peer.uuid() + " did not announce its endpoints within " + config.handshake_timeout_ms() + " ms");
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

    /**
     * Authenticates an incoming connection and sends it the verdict ({@link Admission}): taken, or the
     * connection this side opens to the same framework at the same moment stays, or refused. Whatever
     * goes wrong is logged and closes it, nothing is served.
     */
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
            String client = answer.clientUuid();
            Admission admission;
            SocketPeer peer = null;
            synchronized (this) {
                SocketPeer existing = peers.get(client);
                admission = Admission.decide(rsa.frameworkUuid(), client, existing == null ? Admission.Existing.NONE
                        : existing.openedHere() ? Admission.Existing.OPENED_HERE : Admission.Existing.OPENED_THERE,
                        dialing.containsKey(client), peers.size(), config.max_peers());
                if (admission.verdict() == Admission.Verdict.ADMIT) {
                    if (!guard.cancel(false)) {
                        throw new IOException("the greeting took over " + config.handshake_timeout_ms() + " ms");
                    }
                    peer = admit(client, link, false, admission.message());
                }
            }
            if (peer != null) {
                start(peer);
                return;
            }
            Greetings.write(link.out(), admission.message());
            guard.cancel(false);
            link.close();
            if (admission.verdict() == Admission.Verdict.DUPLICATE) {
                log.debug("socket transport: framework {} connected while this one connects to it; this one's connection stays", client);
            } else {
                log.warn("socket transport: refused {} (framework {}): {}", link.remote(), client, admission.reason());
            }
        } catch (IOException e) {
            guard.cancel(false);
            link.close();
            log.warn("socket transport: refused {}: {}", link.remote(), e.getMessage());
        }
    }

    /**
     * Takes the authenticated connection {@code link} to framework {@code uuid} in place of any other,
     * under the lock; {@code verdict}, if any, goes out before anything the peer's channel sends.
     */
    private SocketPeer admit(String uuid, Link link, boolean openedHere, Map<String, String> verdict) throws IOException {
        if (stopped) {
            throw new IOException("the socket transport is stopping");
        }
        SocketPeer peer = new SocketPeer(uuid, link, openedHere, rsa, main.executors(), config, log, p -> peers.remove(p.uuid(), p));
        if (verdict != null) {
            peer.greet(verdict);
        }
        peers.put(uuid, peer);
        notifyAll();
        return peer;
    }

    /** Starts an admitted peer's channel: this side's endpoints go out, the peer's are read. */
    private void start(SocketPeer peer) {
        try {
            peer.open();
            log.info("socket transport: framework {} connected ({})", peer.uuid(), peer.remote());
        } catch (IOException e) {
            peer.close("cannot reach it: " + e.getMessage());
        }
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
        return DataFolder.resolve(context, "socket");
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
