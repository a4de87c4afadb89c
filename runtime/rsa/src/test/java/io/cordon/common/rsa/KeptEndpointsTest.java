package io.cordon.common.rsa;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.ProtocolException;

public class KeptEndpointsTest {

    private final ByteBudget budget = new ByteBudget("its buffer budget (buffer.mb = 1)", 1 << 20);
    private final KeptEndpoints kept = new KeptEndpoints(3, budget);

    @Test
    public void anAnnouncementIsChargedWhileKeptAndGivenBackWhenWithdrawn() throws ProtocolException {
        EndpointMessage big = add(1, 400 << 10);
        kept.keep(big);
        kept.keep(add(2, 400 << 10));
        assertRefused(add(3, 400 << 10), "exceeds its buffer budget (buffer.mb = 1)");
        kept.removed(2);
        kept.keep(add(3, 400 << 10));
        kept.removed(1);
        kept.removed(3);
        kept.removed(3); // twice: nothing more given back
        assertTrue("all given back", budget.tryCharge(1 << 20));
    }

    @Test
    public void anUpdateReplacesTheBytesOfTheAnnouncementBefore() throws ProtocolException {
        for (int i = 0; i < 10; i++) {
            kept.keep(add(1, 400 << 10)); // the same endpoint over and over: charged once
        }
        kept.keep(add(1, 10));
        assertTrue("only the small one is held", budget.tryCharge((1 << 20) - 1024));
    }

    @Test
    public void endpointsAreBoundedInNumber() throws ProtocolException {
        for (int i = 1; i <= 3; i++) {
            kept.keep(add(i, 10));
        }
        kept.keep(add(2, 20)); // an update is not one more
        assertRefused(add(4, 10), "more than 3 endpoints announced");
    }

    @Test
    public void announcementsAreBoundedInRateAfterABurstOfTwoPerEndpoint() throws ProtocolException {
        long now = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            kept.count(now);
        }
        try {
            kept.count(now);
            fail("a seventh announcement at once");
        } catch (ProtocolException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("more than 64 RSA_ENDPOINT announcements a second after a burst of 6"));
        }
        long later = now + 1_000_000_000L / KeptEndpoints.ANNOUNCEMENTS_PER_SECOND + 1;
        kept.count(later); // one more once the rate allows it
    }

    @Test
    public void weightCountsEveryStringAndToleratesNullFields() {
        EndpointMessage empty = new EndpointMessage("add", 1, 0, null, null, null, null, null);
        EndpointMessage one = new EndpointMessage("add", 1, 0, List.of("a.B"), Map.of("a", "1.0"), List.of("osgi.basic"),
                Map.of("k", "v".repeat(1000)), java.util.Arrays.asList(new EndpointMessage.MethodEntry(0, "m()"), null));
        assertTrue(empty.weight() > 0);
        assertTrue(one.weight() > 2000 + empty.weight());
    }

    private static EndpointMessage add(long handle, int propertyChars) {
        return new EndpointMessage("add", handle, 0, List.of("a.B"), Map.of(), List.of(), Map.of("p", "x".repeat(propertyChars / 2)),
                List.of());
    }

    private void assertRefused(EndpointMessage message, String why) {
        try {
            kept.keep(message);
            fail("refused: " + why);
        } catch (ProtocolException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(why));
        }
    }
}
