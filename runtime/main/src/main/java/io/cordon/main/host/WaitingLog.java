package io.cordon.main.host;

import java.util.HashSet;
import java.util.Set;

import org.osgi.service.log.Logger;

/**
 * Says once when a type cannot run all its instances for want of room under {@code max.renderers}, and once
 * when it can again. On the supervisor's thread only.
 */
final class WaitingLog {

    private final RendererRoster roster;
    private final TypeSlots slots;
    private final Logger log;
    private final Set<String> logged = new HashSet<>();

    WaitingLog(RendererRoster roster, TypeSlots slots, Logger log) {
        this.roster = roster;
        this.slots = slots;
        this.log = log;
    }

    void update(String name) {
        boolean waiting = slots.typesWaiting().contains(name);
        if (waiting && logged.add(name)) {
            log.warn("renderer type {}: not all {} instance(s) are running because {} renderers are alive (max.renderers); "
                    + "they start when renderers stop, or raise max.renderers in io.cordon.supervisor", name,
                    roster.types.get(name).instances(), roster.hosts.size());
        } else if (!waiting && logged.remove(name)) {
            log.info("renderer type {}: every instance is running again", name);
        }
    }
}
