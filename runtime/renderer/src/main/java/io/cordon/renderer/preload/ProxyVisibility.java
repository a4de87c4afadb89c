package io.cordon.renderer.preload;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.cordon.common.channel.Contract;

/**
 * Which bundle of a renderer framework sees which service: the rule behind {@link ProxyHiding}, kept
 * free of the framework so it is tested on its own.
 *
 * <p>The runtime runs at start level 1, preload bundles at {@value #PRELOAD_LEVEL}, renderer bundles at 3
 * (main's {@code TypeBundles}). The system bundle and bundles at level {@value #PRELOAD_LEVEL} or below
 * see every service. Bundles above it do not see services imported from main (those with
 * {@value #IMPORTED}) unless every interface of the proxy is exposed by a preload bundle's
 * {@value #HEADER} header ({@value #ALL}: all): the proxy object implements all its interfaces, so
 * exposing one must not hand out the others.
 */
final class ProxyVisibility {

    static final String HEADER = "Cordon-Expose";
    static final String ALL = "*";
    static final String IMPORTED = "service.imported";
    static final int PRELOAD_LEVEL = Contract.PRELOAD_LEVEL;
    /** The start level given to a bundle that cannot say its own (uninstalled, or a stale context): it sees nothing hidden. */
    static final int UNKNOWN_LEVEL = Integer.MAX_VALUE;

    private ProxyVisibility() {
    }

    /**
     * @param viewerLevel the start level of the bundle that looks (0 for the system bundle)
     * @param imported    whether the service has the {@value #IMPORTED} property
     * @param objectClass the service's interfaces
     * @param exposed     the interfaces preload bundles expose now
     */
    static boolean visible(int viewerLevel, boolean imported, String[] objectClass, Set<String> exposed) {
        if (!imported || viewerLevel <= PRELOAD_LEVEL || exposed.contains(ALL)) {
            return true;
        }
        return objectClass != null && objectClass.length > 0 && exposed.containsAll(Arrays.asList(objectClass));
    }

    /** The interface names of a {@value #HEADER} header: comma-separated, blanks ignored; none for no header. */
    static Set<String> parse(String header) {
        return header == null ? Set.of()
                : Arrays.stream(header.split(",")).map(String::trim).filter(n -> !n.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
