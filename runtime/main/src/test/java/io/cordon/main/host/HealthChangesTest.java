package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.Test;
import org.osgi.service.log.Logger;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererHealth;
import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.Messages.Health.Kind;
import io.cordon.common.channel.Messages.Health.Problem;
import io.cordon.main.RecordingLogger;

public class HealthChangesTest {

    private static final Health DEGRADED = Health.of(List.of(new Problem(Kind.COMPONENT_UNSATISFIED, "com.example.Bridge",
            "missing reference store (com.example.Store)")));
    private final List<String> lines = new ArrayList<>();
    private final Logger log = RecordingLogger.of(null, lines);

    @Test
    public void oneWarnLineWhenItBecomesDegradedNoneWhileItStaysSo() {
        Optional<HealthChanges.Change> change = HealthChanges.logged(log, 3, "md", Health.OK, DEGRADED);
        assertEquals(RendererEvent.Kind.DEGRADED, change.orElseThrow().kind());
        assertEquals(List.of("WARN renderer 3 (md) is DEGRADED: component \"com.example.Bridge\" unsatisfied: "
                + "\"missing reference store (com.example.Store)\"; 'cordon:exec 3 scr:info COMPONENT' tells more"), lines);
        assertTrue(change.get().detail().contains("com.example.Bridge"));
        assertFalse(HealthChanges.logged(log, 3, "md", DEGRADED, DEGRADED).isPresent());
        assertEquals(1, lines.size());
    }

    @Test
    public void healthyAgainIsInfoAndOkStaysQuiet() {
        assertEquals(RendererEvent.Kind.HEALTHY, HealthChanges.logged(log, 3, "md", DEGRADED, Health.OK).orElseThrow().kind());
        assertTrue(lines.get(0), lines.get(0).startsWith("INFO renderer 3 (md) is healthy again"));
        assertFalse(HealthChanges.logged(log, 3, "md", Health.OK, Health.OK).isPresent());
        assertFalse("ok at READY is not news", HealthChanges.logged(log, 3, "md", null, Health.OK).isPresent());
        assertFalse("nothing reported yet", HealthChanges.logged(log, 3, "md", Health.OK, null).isPresent());
        assertEquals(1, lines.size());
    }

    @Test
    public void healthOfAReport() {
        assertEquals(RendererHealth.UNKNOWN, HealthChanges.of(null));
        assertEquals(RendererHealth.OK, HealthChanges.of(Health.OK));
        assertEquals(RendererHealth.DEGRADED, HealthChanges.of(DEGRADED));
        assertEquals(RendererHealth.DEGRADED, HealthChanges.of(new Health(List.of(), 2)));
    }

    @Test
    public void rendererTextCannotForgeOrFloodALine() {
        Health hostile = Health.of(List.of(new Problem(Kind.BUNDLE_INACTIVE, "b\n12:00:00.000 AUDIT [io.cordon.main] fake\u202e",
                "\"quoted\" \\ \u0007" + "x".repeat(600))));
        String text = HealthChanges.describe(hostile);
        assertFalse(text, text.contains("\n") || text.contains("\u202e") || text.contains("\u0007"));
        assertTrue(text, text.startsWith("bundle \"b\\n12:00:00.000 AUDIT [io.cordon.main] fake\\u202e\" not active: \"\\\"quoted\\\" \\\\ \\u0007x"));
        assertTrue("cut by the sender already: " + text, text.endsWith("x…\""));
    }

    @Test
    public void listsTheFirstProblemsAndCountsTheRest() {
        List<Problem> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(new Problem(Kind.COMPONENT_FAILED, "c" + i, "boom"));
        }
        String text = HealthChanges.describe(new Health(many, 3));
        assertTrue(text, text.contains("\"c7\"") && !text.contains("\"c8\"") && text.endsWith("; and 5 more"));
    }

    @Test
    public void creditsAllowOneReportPerRequestAndCapSavings() {
        HealthCredits credits = new HealthCredits(2);
        assertTrue("the report before READY", credits.take());
        assertFalse(credits.take());
        for (int i = 0; i < 5; i++) {
            credits.grant();
        }
        assertTrue(credits.take());
        assertTrue(credits.take());
        assertFalse("savings are capped", credits.take());
    }
}
