package io.cordon.main.rsa;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.osgi.service.log.Logger;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.CordonRsa;
import io.cordon.common.rsa.EndpointMessage;
import io.cordon.common.rsa.ExportedService;
import io.cordon.common.rsa.KeptEndpoints;
import io.cordon.common.rsa.RsaConnection;
import io.cordon.main.log.Untrusted;

/**
 * Main's RSA session with one renderer: the renderer's framework UUID (learnt once, from its
 * RSA_HELLO), the endpoints its whitelist lets it see, and the endpoints it may export back
 * (its type's {@code provides}). Runs the checks whose failure means bad-message.
 */
final class RendererPeer {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F-]{8,64}");
    private static final int MAX_IMPORTED_ENDPOINTS = 256;
    /** Distinct refused interface sets remembered (each logged once); more are refused without a log line. */
    private static final int MAX_REFUSALS_REMEMBERED = 64;

    private final RendererLink link;
    private final RsaConnection connection;
    private final CordonRsa rsa;
    private final Logger log;
    private final KeptEndpoints kept;
    private final Set<String> refusedInterfaces = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean refusalsCapped = new AtomicBoolean();
    private volatile WhitelistPolicy policy;
    private volatile String uuid;

    RendererPeer(RendererLink link, RsaConnection connection, CordonRsa rsa, Logger log) {
        this.link = link;
        this.connection = connection;
        this.rsa = rsa;
        this.log = log;
        this.policy = new WhitelistPolicy(link.type().whitelist(), link.type().trusted());
        this.kept = new KeptEndpoints(MAX_IMPORTED_ENDPOINTS, link.budget());
    }

    void open() {
        link.channel().handle(FrameType.RSA_HELLO, this::onHello);
        connection.open();
    }

    RendererLink link() {
        return link;
    }

    RsaConnection connection() {
        return connection;
    }

    private synchronized void onHello(Frame message) throws IOException {
        if (uuid != null) {
            throw new ProtocolException("RSA_HELLO sent twice");
        }
        String claimed = Messages.utf8(message.payload());
        if (!UUID.matcher(claimed).matches()) {
            throw new ProtocolException("RSA_HELLO with a malformed framework UUID");
        }
        uuid = claimed;
        link.channel().send(FrameType.RSA_HELLO, 0, Messages.utf8(rsa.frameworkUuid()));
        for (ExportedService service : rsa.exports()) {
            offer(service);
        }
        link.channel().send(FrameType.RSA_SYNCED, 0, new byte[0]);
    }

    /** Announces, updates or withdraws one export for this renderer, as its whitelist says. */
    synchronized void offer(ExportedService service) {
        if (uuid == null || connection.isClosed()) {
            return;
        }
        WhitelistPolicy p = policy;
        try {
            if (p.exposes(service)) {
                connection.announce(service, id -> p.allows(service, id));
            } else if (connection.announced(service)) {
                connection.withdraw(service);
            }
        } catch (IOException e) {
            // the renderer is gone; detach() follows
        }
    }

    synchronized void withdraw(ExportedService service) {
        try {
            connection.withdraw(service);
        } catch (IOException e) {
            // the renderer is gone; detach() follows
        }
    }

    void policy(WhitelistPolicy updated) {
        this.policy = updated;
        rsa.exports().forEach(this::offer);
    }

    /**
     * Logs a refused export once per interface set, with the renderer's strings neutralised; memory and log
     * bounded: past {@value #MAX_REFUSALS_REMEMBERED} sets, one line says that later refusals go unlogged.
     */
    private void refused(List<String> interfaces) {
        // No more names than the cut can show: an announcement of thousands is not joined whole.
        List<String> shown = interfaces.subList(0, Math.min(interfaces.size(), Untrusted.MAX_CHARS));
        String names = Untrusted.text(String.join(",", shown), Untrusted.MAX_CHARS);
        if (refusedInterfaces.size() < MAX_REFUSALS_REMEMBERED) {
            if (refusedInterfaces.add(names)) {
                log.warn("renderer {} ({}) exports [{}], which its type does not list in 'provides'; main does not import it",
                        link.id(), link.type().name(), names);
            }
        } else if (!refusedInterfaces.contains(names) && !refusalsCapped.getAndSet(true)) {
            log.warn("renderer {} ({}) exports more than {} interface sets its type does not list in 'provides'; main imports "
                    + "none of them, and logs no more of them", link.id(), link.type().name(), MAX_REFUSALS_REMEMBERED);
        }
    }

    /** An endpoint the renderer exports to main: imported only if its type provides every interface. */
    void announced(RsaConnection from, EndpointMessage message) throws ProtocolException {
        String peerUuid = uuid;
        if (peerUuid == null) {
            throw new ProtocolException("RSA_ENDPOINT before RSA_HELLO");
        }
        kept.count();
        String op = message.op();
        if (op == null || !Set.of(EndpointMessage.ADD, EndpointMessage.UPDATE, EndpointMessage.REMOVE).contains(op)) {
            throw new ProtocolException("RSA_ENDPOINT with a missing or unknown op");
        }
        if (!op.equals(EndpointMessage.REMOVE)) {
            if (message.interfaces() == null || message.interfaces().isEmpty() || message.interfaces().contains(null)) {
                throw new ProtocolException("RSA_ENDPOINT " + message.handle() + " names no interface");
            }
            if (!link.type().provides().containsAll(message.interfaces())) {
                refused(message.interfaces());
                return;
            }
            kept.keep(message);
        } else {
            kept.removed(message.handle());
        }
        try {
            rsa.announced(from, peerUuid, message);
        } catch (RuntimeException e) {
            throw new ProtocolException("RSA_ENDPOINT " + message.handle() + " is invalid: " + e.getMessage());
        }
    }
}
