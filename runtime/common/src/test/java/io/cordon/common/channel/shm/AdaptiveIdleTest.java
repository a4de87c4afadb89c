package io.cordon.common.channel.shm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

import io.cordon.common.channel.shm.AdaptiveIdle.Phase;

public class AdaptiveIdleTest {

    private final AdaptiveIdle idle = new AdaptiveIdle(50, 200);

    @Test
    public void spinsThenYieldsThenParks() {
        assertEquals(Phase.SPIN, idle.phase(0));
        assertEquals(Phase.SPIN, idle.phase(49));
        assertEquals(Phase.YIELD, idle.phase(50));
        assertEquals(Phase.YIELD, idle.phase(249));
        assertEquals(Phase.PARK, idle.phase(250));
        assertEquals(Phase.PARK, idle.phase(Long.MAX_VALUE));
    }

    @Test
    public void withoutSpinOrYieldItParksAtOnce() {
        assertEquals(Phase.PARK, new AdaptiveIdle(0, 0).phase(0));
    }

    @Test
    public void onABusyMachineItParksWhereItWouldYield() {
        assertEquals(Phase.SPIN, idle.phase(0, true));
        assertEquals(Phase.PARK, idle.phase(50, true));
        assertEquals(Phase.YIELD, idle.phase(50, false));
    }

    @Test
    public void aLongYieldThatBroughtNothingFromThePeerMeansBusy() {
        assertEquals(true, AdaptiveIdle.busyAfter(AdaptiveIdle.CONTENDED_YIELD_NANOS + 1, true));
        assertEquals("the peer ran meanwhile", false, AdaptiveIdle.busyAfter(AdaptiveIdle.CONTENDED_YIELD_NANOS + 1, false));
        assertEquals("a short yield: nobody else wanted the core", false, AdaptiveIdle.busyAfter(1_000, true));
    }

    @Test
    public void negativeTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveIdle(-1, 0));
    }
}
