package io.cordon.main.host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every renderer id the supervisor keeps, with the type it belongs to and where it stands, and the pure
 * decision that makes a type's renderers match its {@code instances}. Not thread-safe: the supervisor's
 * single thread owns it.
 *
 * <p>A type <em>manages</em> a slot when the slot counts toward its instances; a renderer spawned by
 * hand ({@code cordon:spawn}) has an unmanaged slot, kept only so that a crash restarts it.
 */
final class TypeSlots {

    enum State {
        /** A renderer process runs (STARTING, READY or STOPPING). */
        LIVE,
        /** Gone; its restart is scheduled (backoff) or it is being restarted on request. */
        RESTARTING,
        /** Wanted, but refused for want of room under {@code max.renderers}; started when room appears. */
        WAITING,
        /** Stopped on request, or gone in a way that is not restarted: it stays gone until its type is edited. */
        RETIRED
    }

    static final class Slot {
        final int id;
        final String type;
        final boolean managed;
        State state;
        int restarts;
        int crashes;

        Slot(int id, String type, boolean managed, State state) {
            this.id = id;
            this.type = type;
            this.managed = managed;
            this.state = state;
        }
    }

    /** What reconcile must do for one type; the supervisor carries it out. */
    record Plan(int startNew, int waitNew, List<Integer> startWaiting, List<Integer> cancelRestart, List<Integer> stop,
                List<Integer> forget) {

        boolean idle() {
            return startNew == 0 && waitNew == 0 && startWaiting.isEmpty() && cancelRestart.isEmpty() && stop.isEmpty()
                    && forget.isEmpty();
        }
    }

    private final Map<Integer, Slot> slots = new TreeMap<>();

    Slot add(int id, String type, boolean managed, State state) {
        Slot slot = new Slot(id, type, managed, state);
        slots.put(id, slot);
        return slot;
    }

    Slot get(int id) {
        return slots.get(id);
    }

    void remove(int id) {
        slots.remove(id);
    }

    /** The slot's renderer is not started again: a type's slot counts as RETIRED until the type is edited; one spawned by hand is forgotten. */
    void retire(Slot slot) {
        if (slot.managed) {
            slot.state = State.RETIRED;
        } else {
            slots.remove(slot.id);
        }
    }

    /** The type was edited: its retired renderers count no more, so reconcile brings it back to its instances. */
    void typeEdited(String type) {
        slots.values().removeIf(s -> s.type.equals(type) && s.state == State.RETIRED);
    }

    /** The type is gone: every slot of it is forgotten; returns them (the caller stops or cancels what runs). */
    List<Slot> typeRemoved(String type) {
        List<Slot> removed = slots.values().stream().filter(s -> s.type.equals(type)).toList();
        removed.forEach(s -> slots.remove(s.id));
        return removed;
    }

    /** Slots of types the supervisor no longer knows (a renderer no type manages must not linger). */
    List<Slot> orphans(java.util.Set<String> knownTypes) {
        return slots.values().stream().filter(s -> !knownTypes.contains(s.type)).toList();
    }

    /** Types that have slots waiting for room. */
    List<String> typesWaiting() {
        return slots.values().stream().filter(s -> s.state == State.WAITING).map(s -> s.type).distinct().toList();
    }

    /**
     * What makes the managed slots of {@code type} number {@code instances}, given {@code room} more
     * renderers may start now. Too many: retired and waiting slots go first, then scheduled restarts,
     * then the newest live renderers. Too few: waiting slots start first, then new ones, as room allows;
     * the rest wait.
     */
    Plan reconcile(String type, int instances, int room) {
        List<Slot> mine = slots.values().stream().filter(s -> s.managed && s.type.equals(type)).toList();
        List<Integer> startWaiting = new ArrayList<>();
        List<Integer> cancel = new ArrayList<>();
        List<Integer> stop = new ArrayList<>();
        List<Integer> forget = new ArrayList<>();
        int excess = mine.size() - instances;
        if (excess > 0) {
            List<Slot> order = new ArrayList<>(mine);
            order.sort(Comparator.comparingInt((Slot s) -> dropOrder(s.state)).thenComparing(s -> -s.id));
            for (Slot s : order.subList(0, excess)) {
                switch (s.state) {
                    case RETIRED, WAITING -> forget.add(s.id);
                    case RESTARTING -> cancel.add(s.id);
                    case LIVE -> stop.add(s.id);
                }
            }
            return new Plan(0, 0, startWaiting, cancel, stop, forget);
        }
        int left = Math.max(0, room);
        for (Slot s : mine) {
            if (s.state == State.WAITING && left > 0) {
                startWaiting.add(s.id);
                left--;
            }
        }
        int missing = -excess;
        int startNew = Math.min(missing, left);
        return new Plan(startNew, missing - startNew, startWaiting, cancel, stop, forget);
    }

    private static int dropOrder(State state) {
        return switch (state) {
            case RETIRED -> 0;
            case WAITING -> 1;
            case RESTARTING -> 2;
            case LIVE -> 3;
        };
    }
}
