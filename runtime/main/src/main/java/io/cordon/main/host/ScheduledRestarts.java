package io.cordon.main.host;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/** The crash restarts waiting for their backoff, by renderer id, so that a stop or an edit can cancel them. */
final class ScheduledRestarts {

    private final Map<Integer, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    void put(int id, ScheduledFuture<?> restart) {
        pending.put(id, restart);
    }

    /** The restart runs now (or is dropped): nothing to cancel any more. */
    void done(int id) {
        pending.remove(id);
    }

    void cancel(int id) {
        Optional.ofNullable(pending.remove(id)).ifPresent(f -> f.cancel(false));
    }

    void cancelAll() {
        pending.values().forEach(f -> f.cancel(false));
    }
}
