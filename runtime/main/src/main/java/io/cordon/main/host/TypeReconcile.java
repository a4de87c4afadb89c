package io.cordon.main.host;

import java.util.Optional;

import io.cordon.api.RendererType;

/**
 * Makes each type's renderers match its {@code instances}, as far as {@code max.renderers} allows: the pure plan
 * comes from {@link TypeSlots}, this carries it out. Runs on the supervisor's thread ({@link SupervisorThread})
 * after every type change and every renderer gone, and at each heartbeat, so that it always converges.
 */
final class TypeReconcile {

    private final RendererRoster roster;
    private final TypeSlots slots;
    private final Launches launches;
    private final SpareRenderers spares;
    private final ScheduledRestarts scheduled;
    private final HostStops stops;
    private final WaitingLog waiting;
    private final SupervisorThread thread;
    private final int maxRenderers;

    TypeReconcile(RendererRoster roster, TypeSlots slots, Launches launches, SpareRenderers spares, ScheduledRestarts scheduled,
                  HostStops stops, WaitingLog waiting, SupervisorThread thread, int maxRenderers) {
        this.roster = roster;
        this.slots = slots;
        this.launches = launches;
        this.spares = spares;
        this.scheduled = scheduled;
        this.stops = stops;
        this.waiting = waiting;
        this.thread = thread;
        this.maxRenderers = maxRenderers;
    }

    /** The type is new or edited (already in the roster): what it retired counts no more. */
    void typeChanged(String name) {
        slots.typeEdited(name);
        spares.forgive();
        reconcile(name);
        spares.reconcile();
    }

    /** The type is gone (already out of the roster): its renderers stop, its restarts are cancelled. */
    void typeRemoved(String name) {
        slots.typeRemoved(name).forEach(this::forget);
        spares.reconcile();
    }

    /** The heartbeat's pass: slots of types gone meanwhile are forgotten, and every type is reconciled. */
    void all() {
        slots.orphans(roster.types.keySet()).forEach(this::forget);
        roster.types.keySet().forEach(this::reconcile);
    }

    /** Stops or cancels what a slot no type wants any more. */
    void forget(TypeSlots.Slot slot) {
        slots.remove(slot.id);
        scheduled.cancel(slot.id);
        Optional.ofNullable(roster.hosts.get(slot.id)).ifPresent(stops::stop);
    }

    void reconcile(String name) {
        RendererType type = roster.types.get(name);
        if (type == null || !thread.active()) {
            return;
        }
        TypeSlots.Plan plan = slots.reconcile(name, type.instances(), maxRenderers - roster.hosts.size());
        if (plan.idle()) {
            return;
        }
        plan.forget().forEach(slots::remove);
        plan.cancelRestart().forEach(id -> forget(slots.get(id)));
        plan.stop().forEach(id -> forget(slots.get(id)));
        plan.startWaiting().forEach(id -> launches.launch(type, slots.get(id)));
        for (int i = 0; i < plan.startNew(); i++) {
            launches.launch(type, slots.add(roster.nextId(), name, true, TypeSlots.State.LIVE));
        }
        for (int i = 0; i < plan.waitNew(); i++) {
            slots.add(roster.nextId(), name, true, TypeSlots.State.WAITING);
        }
        waiting.update(name);
    }
}
