package io.cordon.main.host;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.log.Logger;

import io.cordon.api.RendererType;

/** Says once per type that its renderers use the pipe although it asked for shared memory, and why. */
final class PipeFallbacks {

    /** A few names: one per type. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final Logger log;

    PipeFallbacks(Logger log) {
        this.log = log;
    }

    void pipeInstead(RendererType type, String why) {
        if (logged.add(type.name())) {
            log.warn("renderers of type {} use the pipe, not shared memory (transport=shm): {}", type.name(), why);
        }
    }
}
