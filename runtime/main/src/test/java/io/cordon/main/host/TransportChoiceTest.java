package io.cordon.main.host;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TransportChoiceTest {

    @Test
    public void onlyAnUnsandboxedRendererOfAPrivilegedMainIsRefused() {
        assertNotNull(TransportChoice.refusal(false, true));
        assertNull(TransportChoice.refusal(true, true));
        assertNull(TransportChoice.refusal(false, false));
        assertNull(TransportChoice.refusal(true, false));
    }

    @Test
    public void privilegeIsReadFromTheEffectiveCapabilities() {
        assertTrue("root", TransportChoice.privileged("Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n"));
        assertTrue("CAP_SYS_ADMIN alone", TransportChoice.privileged("CapEff:\t0000000000200000\n"));
        assertTrue("CAP_CHECKPOINT_RESTORE alone", TransportChoice.privileged("CapEff:\t0000010000000000\n"));
        assertFalse("a user", TransportChoice.privileged("CapPrm:\t000001ffffffffff\nCapEff:\t0000000000000000\n"));
        assertTrue("unknown counts as privileged", TransportChoice.privileged("Name:\tjava\n"));
    }
}
