package io.cordon.common.rsa;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.rsa.codec.WireFormatException;

/**
 * The endpoints one side announced to its peer (and which methods of each the peer may call), and the
 * decoding of the peer's own announcements, which go to the owner's {@link RsaConnection.EndpointSink}.
 */
final class Announcements {

    private static final int WITHDRAWN_MEMORY = 4096;

    /** An endpoint announced to the peer, with the wire ids of the methods it may call. */
    record Announced(ExportedService service, Set<Integer> allowed) {
    }

    private final RsaConnection connection;
    private final RsaConnection.EndpointSink sink;
    private final Map<Long, Announced> exports = new ConcurrentHashMap<>();
    private final Set<Long> withdrawn = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > WITHDRAWN_MEMORY;
        }
    }));

    Announcements(RsaConnection connection, RsaConnection.EndpointSink sink) {
        this.connection = connection;
        this.sink = sink;
    }

    void announce(ExportedService service, IntPredicate allowed) throws IOException {
        String op = exports.containsKey(service.handle()) ? EndpointMessage.UPDATE : EndpointMessage.ADD;
        EndpointMessage message = service.announcement(op, allowed);
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        message.methods().forEach(m -> ids.add(m.id()));
        exports.put(service.handle(), new Announced(service, ids));
        withdrawn.remove(service.handle());
        connection.send(FrameType.RSA_ENDPOINT, 0, connection.codec().encode(message));
    }

    void withdraw(ExportedService service) throws IOException {
        if (exports.remove(service.handle()) != null) {
            withdrawn.add(service.handle());
            connection.send(FrameType.RSA_ENDPOINT, 0, connection.codec().encode(EndpointMessage.remove(service.handle())));
        }
    }

    boolean announced(ExportedService service) {
        return exports.containsKey(service.handle());
    }

    /** The endpoint the peer may call under {@code handle}, or null. */
    Announced get(long handle) {
        return exports.get(handle);
    }

    /** True when {@code handle} was announced once and withdrawn since (a late call is not a violation). */
    boolean wasWithdrawn(long handle) {
        return withdrawn.contains(handle);
    }

    Map<ExportedService, Set<Integer>> exports() {
        Map<ExportedService, Set<Integer>> out = new LinkedHashMap<>();
        exports.values().forEach(a -> out.put(a.service(), Set.copyOf(a.allowed())));
        return out;
    }

    void clear() {
        exports.clear();
    }

    void onEndpoint(Frame message) throws IOException {
        EndpointMessage decoded;
        try {
            decoded = connection.codec().decode(message.payload(), 0, message.payload().length, EndpointMessage.class);
        } catch (WireFormatException e) {
            throw new ProtocolException("RSA_ENDPOINT does not decode: " + e.getMessage());
        }
        sink.announced(connection, decoded);
    }
}
