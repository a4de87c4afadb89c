package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.cordon.main.host.TypeSlots.State;

/** Reconcile as pure logic: a type's managed slots always head for its instance count, within the room left. */
public class TypeSlotsTest {

    @Test
    public void startsWhatIsMissingAsRoomAllowsAndTheRestWaits() {
        TypeSlots slots = new TypeSlots();
        TypeSlots.Plan plan = slots.reconcile("md", 3, 2);
        assertEquals(2, plan.startNew());
        assertEquals(1, plan.waitNew());
    }

    @Test
    public void waitingSlotsStartFirstWhenRoomAppears() {
        TypeSlots slots = new TypeSlots();
        slots.add(1, "md", true, State.LIVE);
        slots.add(2, "md", true, State.WAITING);
        assertTrue(slots.reconcile("md", 2, 0).idle());
        TypeSlots.Plan plan = slots.reconcile("md", 2, 1);
        assertEquals(List.of(2), plan.startWaiting());
        assertEquals(0, plan.startNew());
    }

    @Test
    public void aRetiredSlotOfTheTypeStaysUntilEditedOneSpawnedByHandIsForgotten() {
        TypeSlots slots = new TypeSlots();
        TypeSlots.Slot managed = slots.add(1, "md", true, State.LIVE);
        TypeSlots.Slot byHand = slots.add(2, "md", false, State.LIVE);
        slots.retire(managed);
        slots.retire(byHand);
        assertEquals(State.RETIRED, slots.get(1).state);
        assertNull(slots.get(2));
        assertTrue("the retired slot still counts", slots.reconcile("md", 1, 10).idle());
    }

    @Test
    public void restartingAndRetiredSlotsCountTowardInstances() {
        TypeSlots slots = new TypeSlots();
        slots.add(1, "md", true, State.RESTARTING);
        slots.add(2, "md", true, State.RETIRED);
        assertTrue(slots.reconcile("md", 2, 10).idle());
        slots.typeEdited("md");
        assertEquals("an edit brings a retired slot back", 1, slots.reconcile("md", 2, 10).startNew());
    }

    @Test
    public void tooManyDropsRetiredThenWaitingThenRestartsThenTheNewestLive() {
        TypeSlots slots = new TypeSlots();
        slots.add(1, "md", true, State.LIVE);
        slots.add(2, "md", true, State.LIVE);
        slots.add(3, "md", true, State.RESTARTING);
        slots.add(4, "md", true, State.WAITING);
        slots.add(5, "md", true, State.RETIRED);
        TypeSlots.Plan plan = slots.reconcile("md", 1, 10);
        assertEquals(List.of(5, 4), plan.forget());
        assertEquals(List.of(3), plan.cancelRestart());
        assertEquals(List.of(2), plan.stop());
        assertEquals(0, plan.startNew());
    }

    @Test
    public void renderersSpawnedByHandAndOtherTypesDoNotCount() {
        TypeSlots slots = new TypeSlots();
        slots.add(1, "md", false, State.LIVE);
        slots.add(2, "plugin", true, State.LIVE);
        assertEquals(1, slots.reconcile("md", 1, 10).startNew());
        assertTrue(slots.reconcile("plugin", 1, 10).idle());
    }

    @Test
    public void aRemovedTypeLeavesNoSlotAndUnknownTypesAreOrphans() {
        TypeSlots slots = new TypeSlots();
        slots.add(1, "md", true, State.LIVE);
        slots.add(2, "md", false, State.RESTARTING);
        slots.add(3, "old", true, State.LIVE);
        assertEquals(2, slots.typeRemoved("md").size());
        assertEquals(List.of(3), slots.orphans(java.util.Set.of("md")).stream().map(s -> s.id).toList());
    }
}
