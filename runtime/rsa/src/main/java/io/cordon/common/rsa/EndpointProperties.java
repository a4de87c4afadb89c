package io.cordon.common.rsa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.framework.Constants;
import org.osgi.service.remoteserviceadmin.RemoteConstants;

import io.cordon.api.Renderers;

/** Property rules of RSA endpoints, as the spec (chapter 122) gives them. */
public final class EndpointProperties {

    /** The configuration type of endpoints on a renderer's private channel ({@code service.imported.configs}). */
    public static final String CHANNEL_CONFIG = "io.cordon.ipc";
    /** The configuration type of endpoints on Cordon's socket transport (off unless configured). */
    public static final String SOCKET_CONFIG = "cordon.socket";
    /** Where a cordon.socket endpoint's framework listens: {@code unix:<path>} and/or {@code tls:<host>:<port>}. */
    public static final String SOCKET_ADDRESS = SOCKET_CONFIG + ".address";
    /**
     * Added to a proxy in main by main (the renderer's id and type): never taken from an announcement or
     * sent in one, so no peer can pass its services off as another renderer's.
     */
    private static final Set<String> IDENTITY = Set.of(Renderers.RENDERER_ID, Renderers.RENDERER_TYPE);
    /** Intents every Cordon endpoint provides. */
    public static final List<String> INTENTS = List.of("osgi.basic", "osgi.async", "osgi.private");
    static final String BASIC_TIMEOUT = "osgi.basic.timeout";

    private static final int MAX_STRING_PROPERTIES = 64;
    private static final int MAX_STRING_LENGTH = 1024;

    private EndpointProperties() {
    }

    /** The service's properties with {@code overrides} applied case-insensitively; objectClass and service.id stay. */
    static Map<String, Object> merge(Map<String, Object> service, Map<String, ?> overrides) {
        Map<String, String> keys = new HashMap<>();
        Map<String, Object> merged = new LinkedHashMap<>();
        service.forEach((k, v) -> {
            keys.put(k.toLowerCase(Locale.ROOT), k);
            merged.put(k, v);
        });
        if (overrides != null) {
            overrides.forEach((k, v) -> {
                if (k.equalsIgnoreCase(Constants.OBJECTCLASS) || k.equalsIgnoreCase(Constants.SERVICE_ID)) {
                    return;
                }
                String existing = keys.remove(k.toLowerCase(Locale.ROOT));
                if (existing != null) {
                    merged.remove(existing);
                }
                keys.put(k.toLowerCase(Locale.ROOT), k);
                merged.put(k, v);
            });
        }
        return merged;
    }

    /** A String, String[] or Collection property as a list (empty when absent). */
    public static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /**
     * The service's own properties that may travel to the peer: string-valued, not private
     * (leading dot), not about distribution or identity. Bounded in number and length.
     */
    static Map<String, String> publicStrings(Map<String, Object> properties) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            String key = e.getKey();
            if (out.size() >= MAX_STRING_PROPERTIES || key.startsWith(".") || key.startsWith("service.")
                    || key.startsWith("endpoint.") || key.equals(Constants.OBJECTCLASS) || key.startsWith("component.")
                    || IDENTITY.contains(key)) {
                continue;
            }
            if (e.getValue() instanceof String s && s.length() <= MAX_STRING_LENGTH && key.length() <= MAX_STRING_LENGTH) {
                out.put(key, s);
            }
        }
        if (properties.get(BASIC_TIMEOUT) != null) {
            out.put(BASIC_TIMEOUT, Long.toString(timeout(properties.get(BASIC_TIMEOUT))));
        }
        return out;
    }

    /** The endpoint a receiver builds from an announcement; identity comes from the channel, not the message. */
    static Map<String, Object> imported(EndpointMessage message, String frameworkUuid, String configType) {
        Map<String, Object> p = new LinkedHashMap<>();
        message.properties().forEach((k, v) -> {
            if (!k.startsWith(".") && !k.startsWith("service.") && !k.startsWith("endpoint.") && !k.equals(Constants.OBJECTCLASS)
                    && !IDENTITY.contains(k)) {
                p.put(k, v);
            }
        });
        p.put(Constants.OBJECTCLASS, message.interfaces().toArray(String[]::new));
        p.put(RemoteConstants.ENDPOINT_ID, endpointId(frameworkUuid, message.handle()));
        p.put(RemoteConstants.ENDPOINT_SERVICE_ID, message.serviceId());
        p.put(RemoteConstants.ENDPOINT_FRAMEWORK_UUID, frameworkUuid);
        p.put(RemoteConstants.SERVICE_IMPORTED_CONFIGS, new String[] {configType});
        List<String> intents = new ArrayList<>(INTENTS);
        message.intents().stream().filter(INTENTS::contains).filter(i -> !intents.contains(i)).forEach(intents::add);
        p.put(RemoteConstants.SERVICE_INTENTS, intents.toArray(String[]::new));
        message.packageVersions().forEach((pkg, v) -> p.put(RemoteConstants.ENDPOINT_PACKAGE_VERSION_ + pkg, v));
        return p;
    }

    static String endpointId(String frameworkUuid, long handle) {
        return "cordon:" + frameworkUuid + ":" + handle;
    }

    /**
     * Checks the properties of an export that Cordon reads, as {@code exportService} must: a malformed
     * {@code osgi.basic.timeout}, or a property under a Cordon configuration type's prefix that the type
     * does not define, is an IllegalArgumentException naming the property and the fix.
     *
     * @param known per configuration type, the properties under its prefix it defines
     */
    static void validate(Map<String, Object> properties, Map<String, Set<String>> known) {
        Object timeout = properties.get(BASIC_TIMEOUT);
        if (timeout != null && timeout(timeout) <= 0) {
            throw new IllegalArgumentException(BASIC_TIMEOUT + " must be a positive number of milliseconds, got '" + timeout + "'");
        }
        for (String key : properties.keySet()) {
            known.forEach((type, keys) -> {
                if (key.startsWith(type + ".") && !keys.contains(key)) {
                    throw new IllegalArgumentException("unknown property " + key + " for configuration type " + type
                            + (keys.isEmpty() ? " (it defines none)" : "; it defines " + keys));
                }
            });
        }
    }

    /** osgi.basic.timeout as a number of ms, or -1 when it is not one. */
    static long timeout(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Two endpoint property maps describe the same endpoint, apart from its id. */
    static boolean sameEndpoint(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> x = new HashMap<>(a);
        Map<String, Object> y = new HashMap<>(b);
        x.remove(RemoteConstants.ENDPOINT_ID);
        y.remove(RemoteConstants.ENDPOINT_ID);
        return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> Objects.deepEquals(x.get(k), y.get(k)));
    }
}
