package io.cordon.main.host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The spare renderers and the pure decisions about them: which spare a launch takes, which spares to start
 * and which to stop. Not thread-safe: the supervisor's single thread owns it.
 *
 * <p>{@code spare.renderers} spares are kept in all, for the keys ({@link SpareKey}) the types in use have: a
 * missing spare is started for the key with the fewest spares, the key a renderer was last launched with
 * first; one whose key no type has any more is stopped. Spares fill only the room under {@code max.renderers}
 * that renderers leave, and start only while no renderer is starting (they are background work). A key whose
 * spares died {@value #GIVE_UP} times in a row without being taken gets none until a type changes.
 */
final class SparePool {

    static final int GIVE_UP = 3;
    /** Keys remembered in launch order (a type edited again and again makes new ones). */
    private static final int RECENT_KEYS = 64;


    /** What to do now: spares to start (one per entry, by key) and spares to stop (ids). */
    record Plan(List<SpareKey> start, List<Integer> stop) {
    }

    /** Their keys by id, oldest first. */
    private final Map<Integer, SpareKey> spares = new LinkedHashMap<>();
    /** Keys renderers were launched with, the most recent first. */
    private final List<SpareKey> recent = new ArrayList<>();
    private final Map<SpareKey, Integer> failures = new HashMap<>();

    void started(int id, SpareKey key) {
        spares.put(id, key);
    }

    boolean contains(int id) {
        return spares.containsKey(id);
    }

    int size() {
        return spares.size();
    }

    /** A renderer is launched with {@code key}: its key comes first when spares are started. */
    void used(SpareKey key) {
        recent.remove(key);
        recent.add(0, key);
        if (recent.size() > RECENT_KEYS) {
            recent.remove(RECENT_KEYS);
        }
    }

    /**
     * The oldest spare of {@code key} that is {@code waiting} (its runtime is up: its host knows, at once), no
     * longer in the pool; empty when there is none.
     */
    Optional<Integer> take(SpareKey key, IntPredicate waiting) {
        Optional<Integer> id = spares.entrySet().stream().filter(e -> e.getValue().equals(key) && waiting.test(e.getKey()))
                .map(Map.Entry::getKey).findFirst();
        id.ifPresent(i -> {
            spares.remove(i);
            failures.remove(key);
        });
        return id;
    }

    /** Main stops the spare (unusable, or to make room): it leaves the pool at once, whatever its process does. */
    void discard(int id) {
        spares.remove(id);
    }

    /** The spare died on its own (crashed, failed to start, killed): true when its key is given up now. */
    boolean died(int id) {
        SpareKey key = spares.remove(id);
        if (key == null) {
            return false;
        }
        return failures.merge(key, 1, Integer::sum) == GIVE_UP;
    }

    /** A type changed: keys given up get spares again. */
    void forgive() {
        failures.clear();
    }

    /** The spare to stop first when a renderer needs its room: the newest, which has done the least. */
    Optional<Integer> evictable() {
        return spares.keySet().stream().reduce((a, b) -> b);
    }

    /**
     * What brings the pool to {@code wanted} spares for {@code keys} (the keys of the types in use, in a stable
     * order), given {@code room} more processes may start, and {@code busy} when a renderer is starting (no spare
     * starts then). Spares of keys not in {@code keys} are stopped, and spares beyond {@code wanted}, those of the
     * least recently launched keys first.
     */
    Plan plan(List<SpareKey> keys, int wanted, int room, boolean busy) {
        List<Integer> stop = new ArrayList<>();
        Map<Integer, SpareKey> kept = new LinkedHashMap<>();
        spares.forEach((id, key) -> {
            if (keys.contains(key)) {
                kept.put(id, key);
            } else {
                stop.add(id);
            }
        });
        List<Integer> byPreference = new ArrayList<>(kept.keySet());
        byPreference.sort(Comparator.comparingInt((Integer id) -> rank(kept.get(id))).thenComparing(id -> id));
        for (int id : byPreference.subList(Math.min(byPreference.size(), Math.max(0, wanted)), byPreference.size())) {
            stop.add(id);
            kept.remove(id);
        }
        List<SpareKey> start = new ArrayList<>();
        if (!busy) {
            List<SpareKey> candidates = keys.stream().filter(k -> failures.getOrDefault(k, 0) < GIVE_UP)
                    .sorted(Comparator.comparingInt(this::rank)).toList();
            Map<SpareKey, Integer> count = new HashMap<>();
            kept.values().forEach(key -> count.merge(key, 1, Integer::sum));
            int missing = Math.min(wanted - kept.size(), room);
            for (int i = 0; i < missing && !candidates.isEmpty(); i++) {
                SpareKey key = candidates.stream().min(Comparator.comparingInt(k -> count.getOrDefault(k, 0))).orElseThrow();
                count.merge(key, 1, Integer::sum);
                start.add(key);
            }
        }
        return new Plan(start, stop);
    }

    /** Position in launch recency; keys never launched come after, in the order given. */
    private int rank(SpareKey key) {
        int i = recent.indexOf(key);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
