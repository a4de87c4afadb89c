package io.cordon.main.socket;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

import io.cordon.common.channel.ProtocolException;
import io.cordon.main.socket.Admission.Existing;
import io.cordon.main.socket.Admission.Verdict;

public class AdmissionTest {

    private static final String A = "11111111-1111-1111-1111-111111111111";
    private static final String B = "22222222-2222-2222-2222-222222222222";

    @Test
    public void aConnectionIsTakenWhenThereIsNoOtherAndRoom() {
        assertEquals(Verdict.ADMIT, Admission.decide(A, B, Existing.NONE, false, 0, 16).verdict());
        assertEquals(Verdict.ADMIT, Admission.decide(B, A, Existing.NONE, false, 15, 16).verdict());
    }

    @Test
    public void whenBothConnectAtOnceBothSidesKeepTheConnectionTheSmallerUuidOpened() {
        // A accepts B's connection while opening its own, and B accepts A's while opening its own.
        Admission atA = Admission.decide(A, B, Existing.NONE, true, 0, 16);
        Admission atB = Admission.decide(B, A, Existing.NONE, true, 0, 16);
        assertEquals("A's own connection stays: B's is a duplicate", Verdict.DUPLICATE, atA.verdict());
        assertEquals("B takes A's connection", Verdict.ADMIT, atB.verdict());
        assertTrue(Admission.stays(A, B));
        assertNotEquals(Admission.stays(A, B), Admission.stays(B, A));
    }

    @Test
    public void aConnectionArrivingAfterThisSidesOwnWasTakenIsADuplicate() {
        // A's connection to B was taken by B (and here) while B's connection to A was still in its greeting.
        assertEquals(Verdict.DUPLICATE, Admission.decide(A, B, Existing.OPENED_HERE, false, 1, 16).verdict());
    }

    @Test
    public void aSecondConnectionFromAPeerThatIsConnectedIsRefused() {
        Admission refused = Admission.decide(A, B, Existing.OPENED_THERE, false, 1, 16);
        assertEquals(Verdict.REFUSED, refused.verdict());
        assertTrue(refused.reason(), refused.reason().contains("already connected"));
    }

    @Test
    public void maxPeersIsKept() {
        Admission refused = Admission.decide(A, B, Existing.NONE, false, 16, 16);
        assertEquals(Verdict.REFUSED, refused.verdict());
        assertTrue(refused.reason(), refused.reason().contains("max.peers"));
        assertEquals("the surviving connection of a simultaneous pair is this side's, counted already",
                Verdict.DUPLICATE, Admission.decide(A, B, Existing.NONE, true, 16, 16).verdict());
    }

    @Test
    public void theVerdictCrossesTheWireAndALiarsReasonIsMadeSafe() throws ProtocolException {
        for (Admission a : new Admission[] {Admission.decide(A, B, Existing.NONE, false, 0, 16), Admission.decide(A, B, Existing.NONE, true, 0, 16),
                Admission.refused("full")}) {
            assertEquals(a, Admission.of(a.message()));
        }
        assertTrue(Admission.of(Map.of("verdict", "REFUSED", "reason", "x\nINFO forged")).reason().contains("\\n"));
        assertThrows(ProtocolException.class, () -> Admission.of(Map.of("verdict", "admit")));
        assertThrows(ProtocolException.class, () -> Admission.of(Map.of()));
    }
}
