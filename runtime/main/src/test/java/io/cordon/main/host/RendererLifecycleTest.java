package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType.RestartPolicy;
import io.cordon.main.host.RendererLifecycle.Verdict;

/** The renderer state machine as pure logic: every transition, why it is gone, and whether it comes back. */
public class RendererLifecycleTest {

    private static RendererLifecycle ready() {
        RendererLifecycle l = new RendererLifecycle();
        assertEquals(Verdict.ACCEPT, l.ready());
        return l;
    }

    @Test
    public void startsStartingAndBecomesReadyOnce() {
        RendererLifecycle l = new RendererLifecycle();
        assertEquals(RendererState.STARTING, l.state());
        assertEquals(Verdict.ACCEPT, l.ready());
        assertEquals(RendererState.READY, l.state());
        assertEquals(Verdict.VIOLATION, l.ready());
        assertEquals(Verdict.VIOLATION, l.failed());
    }

    @Test
    public void readyOrFailedAfterAStopAreDroppedNotPunished() {
        RendererLifecycle starting = new RendererLifecycle();
        assertTrue(starting.stop());
        assertEquals(RendererState.STOPPING, starting.state());
        assertEquals(Verdict.IGNORE, starting.ready());
        assertEquals(Verdict.IGNORE, starting.failed());
        assertFalse("a second stop sends no second SHUTDOWN", starting.stop());
    }

    @Test
    public void aStopRequestedIsAStopWhateverTheRendererDoesAfter() {
        for (int exit : new int[] {0, 1, 3, RendererLifecycle.SIGKILL_STATUS}) {
            RendererLifecycle l = new RendererLifecycle();
            l.stop();
            l.outOfMemory();
            assertEquals("exit " + exit, GoneReason.CLEAN_EXIT, l.exited(exit));
            assertFalse(l.restartable(RestartPolicy.ON_CRASH));
            assertTrue(l.expected());
        }
        RendererLifecycle forced = ready();
        forced.stop();
        forced.kill();
        assertEquals(GoneReason.KILLED, forced.exited(RendererLifecycle.SIGKILL_STATUS));
        assertFalse(forced.restartable(RestartPolicy.ON_CRASH));
    }

    @Test
    public void aSigkillWhileStartingIsAKillThatRestartsNotALaunchFailure() {
        RendererLifecycle l = new RendererLifecycle();
        assertEquals(GoneReason.KILLED, l.exited(RendererLifecycle.SIGKILL_STATUS));
        assertTrue(l.restartable(RestartPolicy.ON_CRASH));
        assertFalse(l.restartable(RestartPolicy.NEVER));
    }

    @Test
    public void dyingBeforeReadyOrReportingFailureIsALaunchFailureNotRestarted() {
        RendererLifecycle died = new RendererLifecycle();
        assertEquals(GoneReason.LAUNCH_FAILED, died.exited(1));
        assertFalse(died.restartable(RestartPolicy.ON_CRASH));
        RendererLifecycle failed = new RendererLifecycle();
        assertEquals(Verdict.ACCEPT, failed.failed());
        assertEquals(GoneReason.LAUNCH_FAILED, failed.exited(RendererLifecycle.SIGKILL_STATUS));
        RendererLifecycle slow = new RendererLifecycle();
        assertTrue(slow.launchTimedOut());
        assertEquals(GoneReason.LAUNCH_FAILED, slow.exited(RendererLifecycle.SIGKILL_STATUS));
        assertFalse("a READY renderer cannot time out its launch", ready().launchTimedOut());
    }

    @Test
    public void badMessageWinsOverEverythingAndIsReportedOnce() {
        RendererLifecycle l = ready();
        assertTrue(l.badMessage());
        assertFalse(l.badMessage());
        l.stop();
        l.kill();
        assertEquals(GoneReason.BAD_MESSAGE, l.exited(RendererLifecycle.SIGKILL_STATUS));
        assertFalse(l.restartable(RestartPolicy.ON_CRASH));
        assertFalse(l.expected());
    }

    @Test
    public void crashesOomAndUnresponsiveKillsRestartUnderOnCrash() {
        RendererLifecycle crash = ready();
        assertEquals(GoneReason.CRASHED, crash.exited(1));
        assertTrue(crash.restartable(RestartPolicy.ON_CRASH));
        RendererLifecycle oom = ready();
        oom.outOfMemory();
        assertEquals(GoneReason.OOM, oom.exited(3));
        assertTrue(oom.restartable(RestartPolicy.ON_CRASH));
        RendererLifecycle hung = ready();
        assertTrue(hung.unresponsive());
        assertEquals(GoneReason.UNRESPONSIVE, hung.exited(RendererLifecycle.SIGKILL_STATUS));
        assertTrue(hung.restartable(RestartPolicy.ON_CRASH));
        RendererLifecycle killed = ready();
        killed.kill();
        assertEquals(GoneReason.KILLED, killed.exited(RendererLifecycle.SIGKILL_STATUS));
        assertTrue(killed.expected());
        assertTrue(killed.restartable(RestartPolicy.ON_CRASH));
    }

    @Test
    public void aStoppingRendererIsNotKilledAsUnresponsive() {
        RendererLifecycle l = ready();
        l.stop();
        assertFalse(l.unresponsive());
        assertEquals(GoneReason.CLEAN_EXIT, l.exited(0));
    }

    @Test
    public void aCleanExitOfItsOwnIsNotRestarted() {
        RendererLifecycle l = ready();
        assertEquals(GoneReason.CLEAN_EXIT, l.exited(0));
        assertFalse(l.restartable(RestartPolicy.ON_CRASH));
    }

    // ---- spares ----

    @Test
    public void aSpareWaitsThenIsAdoptedAndStartsAgainAsItsTypesRenderer() {
        RendererLifecycle l = new RendererLifecycle(true);
        assertFalse("not waiting yet", l.adopt());
        assertEquals(Verdict.VIOLATION, l.ready());
        assertEquals(Verdict.ACCEPT, l.spareReady());
        assertEquals(RendererState.SPARE, l.state());
        assertTrue(l.spare());
        assertEquals("a spare answers READY only once adopted", Verdict.VIOLATION, l.ready());
        assertEquals(Verdict.VIOLATION, l.spareReady());
        assertTrue(l.adopt());
        assertFalse(l.spare());
        assertEquals(RendererState.STARTING, l.state());
        assertFalse("adopted once", l.adopt());
        assertEquals(Verdict.VIOLATION, l.spareReady());
        assertEquals(Verdict.ACCEPT, l.ready());
    }

    @Test
    public void onlyASpareMaySaySpare() {
        assertEquals(Verdict.VIOLATION, new RendererLifecycle().spareReady());
    }

    @Test
    public void aSpareStoppedIsACleanExitAndOneGoneIsNotAdopted() {
        RendererLifecycle l = new RendererLifecycle(true);
        l.spareReady();
        assertTrue(l.stop());
        assertEquals(Verdict.IGNORE, l.spareReady());
        assertFalse(l.adopt());
        assertEquals(GoneReason.CLEAN_EXIT, l.exited(0));
        RendererLifecycle died = new RendererLifecycle(true);
        died.spareReady();
        died.exited(1);
        assertFalse("found gone", died.adopt());
        assertTrue("still a spare, for the supervisor", died.spare());
    }

    @Test
    public void aSilentSpareIsUnresponsiveAndAStartingOneTimesOut() {
        RendererLifecycle waiting = new RendererLifecycle(true);
        waiting.spareReady();
        assertTrue(waiting.unresponsive());
        assertFalse(waiting.launchTimedOut());
        RendererLifecycle starting = new RendererLifecycle(true);
        assertFalse(starting.unresponsive());
        assertTrue(starting.launchTimedOut());
        assertEquals(GoneReason.LAUNCH_FAILED, starting.exited(RendererLifecycle.SIGKILL_STATUS));
    }
}
