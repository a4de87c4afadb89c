package io.cordon.common.channel;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class StartupPhasesTest {

    private static final Map<String, String> STAMPS = Map.of(
            StartupPhases.BOOT, "1100000", StartupPhases.FRAMEWORK, "1150000", StartupPhases.INSTALLED, "1160000",
            StartupPhases.RUNTIME, "1200000", StartupPhases.RSA_HELLO, "1201000", StartupPhases.RSA_SYNCED, "1204000",
            StartupPhases.READY, "1270000");

    @Test
    public void turnsStampsIntoDurationsInStartOrder() {
        Map<String, Double> phases = StartupPhases.durations(1_000_000, STAMPS, 1_270_500);
        assertEquals(List.of("process", "framework", "transfer", "runtime", "rsa", "bundles", "report"), List.copyOf(phases.keySet()));
        assertEquals(List.of(100.0, 50.0, 10.0, 40.0, 3.0, 67.0, 0.5), List.copyOf(phases.values()));
    }

    @Test
    public void aRenderersNonsenseGivesZeroesNeverNegativeOrAnError() {
        Map<String, Double> phases = StartupPhases.durations(1_000_000,
                Map.of(StartupPhases.BOOT, "900000", StartupPhases.FRAMEWORK, "x", StartupPhases.READY, "-5"), 1_000_000);
        phases.values().forEach(ms -> assertEquals(0.0, ms, 0.0));
    }

    /** A spare's stamps start again at ADOPT: what it did before it was adopted counts nothing. */
    @Test
    public void anAdoptedSpareShowsOnlyWhatFollowedItsAdoption() {
        Map<String, Double> phases = StartupPhases.durations(1_000_000, Map.of(StartupPhases.INSTALLED, "1010000",
                StartupPhases.RSA_HELLO, "1011000", StartupPhases.RSA_SYNCED, "1012000", StartupPhases.READY, "1030000"), 1_030_500);
        assertEquals(List.of(0.0, 0.0, 10.0, 0.0, 1.0, 19.0, 0.5), List.copyOf(phases.values()));
    }

    @Test
    public void formatAndParseAgree() {
        Map<String, Double> phases = StartupPhases.durations(1_000_000, STAMPS, 1_270_500);
        String text = StartupPhases.format(phases);
        assertEquals("process 100.0 ms, framework 50.0 ms, transfer 10.0 ms, runtime 40.0 ms, rsa 3.0 ms, bundles 67.0 ms, report 0.5 ms", text);
        assertEquals(phases, StartupPhases.parse(text));
        assertEquals(Map.of(), StartupPhases.parse("exit code 3"));
    }
}
