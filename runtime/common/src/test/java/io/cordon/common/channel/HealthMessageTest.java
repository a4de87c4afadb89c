package io.cordon.common.channel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.Messages.Health.Kind;
import io.cordon.common.channel.Messages.Health.Problem;

/** HEALTH payloads: what an honest renderer sends always decodes; anything larger or unknown is a protocol violation. */
public class HealthMessageTest {

    private static final Problem UNSATISFIED = new Problem(Kind.COMPONENT_UNSATISFIED, "com.example.C", "missing reference r (com.example.I)");

    @Test
    public void roundTrips() throws ProtocolException {
        Health health = Health.of(List.of(UNSATISFIED, new Problem(Kind.BUNDLE_INACTIVE, "b 1.0.0", "resolved, not active")));
        assertEquals(health, Health.decode(health.encode()));
        assertEquals(Health.OK, Health.decode(Health.OK.encode()));
        assertTrue(Health.OK.ok());
    }

    @Test
    public void theSenderKeepsWithinTheLimits() throws ProtocolException {
        List<Problem> many = new ArrayList<>();
        for (int i = 0; i < Health.MAX_PROBLEMS + 5; i++) {
            many.add(new Problem(Kind.COMPONENT_FAILED, "c" + i, "x".repeat(Health.MAX_TEXT * 2)));
        }
        Health health = Health.decode(Health.of(many).encode());
        assertEquals(Health.MAX_PROBLEMS, health.problems().size());
        assertEquals(5, health.omitted());
        assertEquals(Health.MAX_TEXT, health.problems().get(0).detail().length());
        assertTrue(health.problems().get(0).detail().endsWith("…"));
    }

    @Test
    public void anythingElseIsRefused() throws IOException {
        assertRefused(payload(0, 1, Kind.values().length, "s", "d"), "unknown kind");
        assertRefused(payload(0, Health.MAX_PROBLEMS + 1), "problems (limit");
        assertRefused(payload(-1, 0), "omitted");
        assertRefused(payload(0, 1, 0, "s".repeat(Health.MAX_TEXT + 1), "d"), "characters (limit");
        assertRefused(payload(0, 2, 0, "s", "d"), "malformed");
        byte[] trailing = Arrays.copyOf(Health.OK.encode(), Health.OK.encode().length + 1);
        assertRefused(trailing, "after its end");
        assertRefused(new byte[3], "malformed");
    }

    private static void assertRefused(byte[] payload, String why) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Health.decode(payload));
        assertTrue(e.getMessage(), e.getMessage().contains(why));
    }

    /** omitted, count, then (kind, subject, detail) triples as given. */
    private static byte[] payload(int omitted, int count, Object... problems) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(omitted);
            out.writeInt(count);
            for (int i = 0; i + 2 < problems.length; i += 3) {
                out.writeByte((Integer) problems[i]);
                out.writeUTF((String) problems[i + 1]);
                out.writeUTF((String) problems[i + 2]);
            }
        }
        return bytes.toByteArray();
    }
}
