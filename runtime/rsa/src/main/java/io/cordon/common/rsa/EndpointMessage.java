package io.cordon.common.rsa;

import java.util.List;
import java.util.Map;

/**
 * An RSA_ENDPOINT message: the sender exports (op {@code add} or {@code update}) or withdraws (op
 * {@code remove}) one endpoint to this peer. Only what the importer needs travels: the receiving side
 * builds the {@code EndpointDescription} itself, so a peer cannot claim another framework's identity.
 *
 * @param op              add, update or remove
 * @param handle          the endpoint's number on this channel (unique in the exporting framework)
 * @param serviceId       the exported service's service.id (one service may have several endpoints)
 * @param interfaces      the exported interface names
 * @param packageVersions package name → the exporter's version of it
 * @param intents         intents the endpoint carries
 * @param properties      the service's public string properties (for filters)
 * @param methods         the methods this peer may call, with their wire ids
 */
public record EndpointMessage(String op, long handle, long serviceId, List<String> interfaces, Map<String, String> packageVersions,
                              List<String> intents, Map<String, String> properties, List<MethodEntry> methods) {

    public static final String ADD = "add";
    public static final String UPDATE = "update";
    public static final String REMOVE = "remove";
    /** What {@link #weight()} counts for the overhead of one string or entry. */
    private static final int ENTRY_BYTES = 32;

    /** A method the peer may call: its wire id and erased signature. */
    public record MethodEntry(int id, String signature) {
    }

    public static EndpointMessage remove(long handle) {
        return new EndpointMessage(REMOVE, handle, 0, List.of(), Map.of(), List.of(), Map.of(), List.of());
    }

    /**
     * About how many bytes of heap the receiver keeps for this announcement while the endpoint is exported: two a
     * character of every string, and {@value #ENTRY_BYTES} for each entry's overhead. Any field may be null (a
     * peer's message is decoded as sent).
     */
    public long weight() {
        long bytes = ENTRY_BYTES + strings(interfaces) + strings(intents) + strings(packageVersions) + strings(properties);
        if (methods != null) {
            for (MethodEntry m : methods) {
                bytes += ENTRY_BYTES + chars(m == null ? null : m.signature());
            }
        }
        return bytes;
    }

    private static long strings(java.util.Collection<String> values) {
        long bytes = 0;
        if (values != null) {
            for (String value : values) {
                bytes += ENTRY_BYTES + chars(value);
            }
        }
        return bytes;
    }

    private static long strings(Map<String, String> values) {
        return values == null ? 0 : strings(values.keySet()) + strings(values.values());
    }

    private static long chars(String value) {
        return value == null ? 0 : 2L * value.length();
    }
}
