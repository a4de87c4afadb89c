package io.cordon.main.host;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererType;

/**
 * Whether a renderer starts again, and when: a crash restarts it as its type's policy says, with
 * {@link RestartBackoff}; {@code cordon:restart} starts it again at once; a stop requested is a stop, never
 * restarted. Every restart given up is one log line saying why and what to do. On the supervisor's thread
 * ({@link SupervisorThread}) only.
 */
final class Restarts {

    private final RendererRoster roster;
    private final TypeSlots slots;
    private final Launches launches;
    private final TypeReconcile reconcile;
    private final ScheduledRestarts scheduled;
    private final HostStops stops;
    private final SupervisorThread thread;
    private final Logger log;

    Restarts(RendererRoster roster, TypeSlots slots, Launches launches, TypeReconcile reconcile, ScheduledRestarts scheduled,
             HostStops stops, SupervisorThread thread, Logger log) {
        this.roster = roster;
        this.slots = slots;
        this.launches = launches;
        this.reconcile = reconcile;
        this.scheduled = scheduled;
        this.stops = stops;
        this.thread = thread;
        this.log = log;
    }

    /** A stop requested: the renderer is not restarted, and its type does not replace it until edited. */
    Promise<RendererInfo> stop(RendererHost host) {
        TypeSlots.Slot slot = slots.get(host.id());
        if (slot != null) {
            slots.retire(slot);
        }
        return stops.stop(host);
    }

    /**
     * A stop for a renderer with no process, waiting out its crash backoff (or between the two halves of
     * {@link #restart}): its restart is cancelled, as a stop is a stop. Null when no renderer {@code id} waits.
     */
    Promise<RendererInfo> stopWaiting(int id) {
        TypeSlots.Slot slot = slots.get(id);
        if (slot == null || slot.state != TypeSlots.State.RESTARTING) {
            return null;
        }
        scheduled.cancel(id);
        slots.retire(slot);
        log.info("renderer {} ({}) is stopped while it waited to restart: it does not restart", id, slot.type);
        return Promises.resolved(roster.get(id).orElse(null));
    }

    /** Stops the renderer and starts it again with the same id and its type's current settings. */
    Promise<RendererInfo> restart(RendererHost host) {
        TypeSlots.Slot slot = slots.get(host.id());
        if (slot == null) {
            return Promises.failed(new IllegalStateException("renderer " + host.id() + " is being stopped"));
        }
        slot.state = TypeSlots.State.RESTARTING;
        Deferred<RendererInfo> ready = new Deferred<>();
        stops.stop(host).onResolve(() -> thread.execute(() -> ready.resolveWith(relaunch(slot, "restart"))));
        return ready.getPromise();
    }

    /** Restarts the renderer if its policy says so, else retires its slot; then the type is reconciled. */
    void afterGone(RendererHost host, GoneReason reason) {
        TypeSlots.Slot slot = slots.get(host.id());
        if (slot == null || slot.state != TypeSlots.State.LIVE) {
            return; // stopped and forgotten, or a restart is already arranged
        }
        RendererType type = roster.types.get(slot.type);
        if (type != null && thread.active() && host.lifecycle().restartable(type.restart())) {
            slot.crashes = RestartBackoff.nextCrashCount(slot.crashes, host.readyForMs());
            long delay = RestartBackoff.delay(type.backoffMs(), type.backoffMaxMs(), slot.crashes - 1);
            log.info("renderer {} ({}) restarts in {} ms (policy on-crash, crash #{})", slot.id, type.name(), delay, slot.crashes);
            slot.state = TypeSlots.State.RESTARTING;
            scheduled.put(slot.id, thread.schedule(() -> relaunch(slot, "on-crash"), delay));
        } else {
            if (!host.lifecycle().expected() && type != null && thread.active()) {
                log.warn("renderer {} ({}) is not restarted ({}{}); {}", slot.id, slot.type, reason.label(),
                        type.restart() == RendererType.RestartPolicy.NEVER ? ", restart=never" : "",
                        slot.managed ? "its type runs one fewer until its .cfg is edited; 'cordon:spawn " + slot.type + "' starts another now"
                                : "'cordon:spawn " + slot.type + "' starts another");
            }
            slots.retire(slot);
        }
        reconcile.reconcile(slot.type);
    }

    /** Starts a RESTARTING slot again, unless reconcile or a stop dropped it meanwhile. */
    private Promise<RendererInfo> relaunch(TypeSlots.Slot slot, String why) {
        scheduled.done(slot.id);
        RendererType type = roster.types.get(slot.type);
        if (slots.get(slot.id) != slot || slot.state != TypeSlots.State.RESTARTING || type == null || !thread.active()) {
            return Promises.failed(new IllegalStateException("renderer " + slot.id + " was not restarted (" + why
                    + "): it was stopped, or its type no longer wants it"));
        }
        slot.restarts++;
        return launches.launch(type, slot);
    }
}
