package io.cordon.main.host;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.osgi.util.promise.Deferred;

import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;

/**
 * What the supervisor knows: the renderer types, the renderers running for them, the spares waiting for a
 * type, whose READY a promise awaits, and the recently gone. Changed on the supervisor's thread
 * ({@link SupervisorThread}); read from any thread (the {@code Renderers} API, hot deploy), hence the concurrent maps.
 *
 * <p>Spares are kept apart from the renderers: no type counts them, and hot deploy never reaches them.
 */
final class RendererRoster {

    /** Gone renderers {@code cordon:renderers} still lists, with their reason. */
    private static final int RECENTLY_GONE = 16;

    final Map<String, RendererType> types = new ConcurrentHashMap<>();
    final Map<Integer, RendererHost> hosts = new ConcurrentHashMap<>();
    /** Spare renderers by id, STARTING or SPARE; one leaves when a type adopts it or main stops it. */
    final Map<Integer, RendererHost> spares = new ConcurrentHashMap<>();
    final Map<Integer, Deferred<RendererInfo>> readyWaiters = new ConcurrentHashMap<>();
    private final Map<Integer, RendererInfo> recentlyGone = new LinkedHashMap<>();
    private volatile int nextId;

    int nextId() {
        return ++nextId;
    }

    /** Renderers and spares. */
    Stream<RendererHost> all() {
        return Stream.concat(hosts.values().stream(), spares.values().stream());
    }

    boolean anyStarting() {
        return hosts.values().stream().anyMatch(h -> h.state() == RendererState.STARTING);
    }

    List<RendererType> sortedTypes() {
        return types.values().stream().sorted(Comparator.comparing(RendererType::name)).toList();
    }

    void gone(RendererInfo info) {
        synchronized (recentlyGone) {
            recentlyGone.remove(info.id());
            recentlyGone.put(info.id(), info);
            if (recentlyGone.size() > RECENTLY_GONE) {
                recentlyGone.remove(recentlyGone.keySet().iterator().next());
            }
        }
    }

    /** The id runs again (a restart): it is no longer listed as gone. */
    void back(int id) {
        synchronized (recentlyGone) {
            recentlyGone.remove(id);
        }
    }

    List<RendererInfo> list() {
        Map<Integer, RendererInfo> all = new TreeMap<>();
        synchronized (recentlyGone) {
            all.putAll(recentlyGone);
        }
        hosts.values().forEach(h -> all.put(h.id(), h.info()));
        spares.values().forEach(h -> all.put(h.id(), h.info()));
        return List.copyOf(all.values());
    }

    Optional<RendererInfo> get(int id) {
        RendererHost host = Optional.ofNullable(hosts.get(id)).orElse(spares.get(id));
        if (host != null) {
            return Optional.of(host.info());
        }
        synchronized (recentlyGone) {
            return Optional.ofNullable(recentlyGone.get(id));
        }
    }
}
