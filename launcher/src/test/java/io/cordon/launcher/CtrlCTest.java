package io.cordon.launcher;

import static io.cordon.launcher.CtrlC.Action.INTERRUPT;
import static io.cordon.launcher.CtrlC.Action.NONE;
import static io.cordon.launcher.CtrlC.Action.RELEASE;
import static io.cordon.launcher.CtrlC.GRACE_NANOS;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class CtrlCTest {

    private final CtrlC ctrlC = new CtrlC();

    @Test
    public void withoutTheKeyNothingHappens() {
        assertEquals(NONE, ctrlC.next(0, true));
        assertEquals(NONE, ctrlC.next(10 * GRACE_NANOS, true));
    }

    @Test
    public void aKeyTypedBeforeTheJobExistsWaitsForIt() {
        ctrlC.press();
        assertEquals(NONE, ctrlC.next(0, false));
        assertEquals(NONE, ctrlC.next(50, false));
        assertEquals(INTERRUPT, ctrlC.next(100, true));
        assertEquals(NONE, ctrlC.next(200, true));
    }

    @Test
    public void aJobThatEndsAfterItsInterruptIsNotReleasedNorIsTheNextCommandOfTheLine() {
        ctrlC.press();
        assertEquals(INTERRUPT, ctrlC.next(0, true));
        assertEquals(NONE, ctrlC.next(GRACE_NANOS / 2, false));
        assertEquals(NONE, ctrlC.next(2 * GRACE_NANOS, true)); // "sleep 5; sleep 5": the second runs
        assertEquals(NONE, ctrlC.next(4 * GRACE_NANOS, true));
        ctrlC.press();
        assertEquals(INTERRUPT, ctrlC.next(5 * GRACE_NANOS, true));
    }

    @Test
    public void aJobStillInTheForegroundAfterTheGraceIsReleasedOnce() {
        ctrlC.press();
        assertEquals(INTERRUPT, ctrlC.next(7, true));
        assertEquals(NONE, ctrlC.next(7 + GRACE_NANOS - 1, true));
        assertEquals(RELEASE, ctrlC.next(7 + GRACE_NANOS, true));
        assertEquals(NONE, ctrlC.next(7 + GRACE_NANOS + 1, false)); // released: in the background now
        assertEquals(NONE, ctrlC.next(7 + 3 * GRACE_NANOS, true)); // the line's next command
    }

    @Test
    public void aSecondKeyReleasesAtOnce() {
        ctrlC.press();
        ctrlC.press(); // twice before the job exists counts once: the job was not interrupted yet
        assertEquals(INTERRUPT, ctrlC.next(0, true));
        assertEquals(NONE, ctrlC.next(1, true));
        ctrlC.press();
        assertEquals(RELEASE, ctrlC.next(2, true));
    }
}
