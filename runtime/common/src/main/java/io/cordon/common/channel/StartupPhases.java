package io.cordon.common.channel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a renderer's start-up time goes. The renderer stamps each step (wall-clock microseconds, the
 * same clock as main's on one machine) and sends the stamps with READY ({@link Messages#map}); main
 * adds its own two (launch, READY received) and turns them into durations, in start order:
 * <ul>
 * <li>{@code process}: launch → the renderer's {@code main} runs (sandbox set-up, JVM start)
 * <li>{@code framework}: → Felix initialised from CONFIG
 * <li>{@code transfer}: → every BUNDLE received and installed (START)
 * <li>{@code runtime}: → start level 1 reached (SCR, Gogo, the renderer runtime up)
 * <li>{@code rsa}: RSA_HELLO sent → RSA_SYNCED received (main announced every endpoint)
 * <li>{@code bundles}: → preload and renderer bundles active, READY sent
 * <li>{@code report}: → main has read READY
 * </ul>
 * A spare renderer took its first three steps before it was adopted; its stamps start again at ADOPT, which is
 * then main's launch time, so it shows {@code transfer} (its type's bundles), {@code rsa}, {@code bundles} and
 * {@code report}.
 * The stamps come from a renderer, so they are only ever shown, never acted upon.
 */
public final class StartupPhases {

    public static final String BOOT = "boot";
    public static final String FRAMEWORK = "framework";
    public static final String INSTALLED = "installed";
    public static final String RSA_HELLO = "rsa.hello";
    public static final String RSA_SYNCED = "rsa.synced";
    public static final String RUNTIME = "runtime";
    public static final String READY = "ready";

    private static final Pattern PHASE = Pattern.compile("([a-z]+) ([0-9]+(?:\\.[0-9])?) ms");

    private StartupPhases() {
    }

    /** Now, in wall-clock microseconds. */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * The durations in ms, in start order, from main's launch and receipt times and the renderer's
     * stamps; a missing or unparsable stamp makes its phase 0 (and the next one the longer).
     */
    public static Map<String, Double> durations(long launchMicros, Map<String, String> stamps, long receivedMicros) {
        long boot = stamp(stamps, BOOT, launchMicros);
        long framework = stamp(stamps, FRAMEWORK, boot);
        long installed = stamp(stamps, INSTALLED, framework);
        long runtime = stamp(stamps, RUNTIME, installed);
        long hello = stamp(stamps, RSA_HELLO, runtime);
        long rsa = Math.max(0, stamp(stamps, RSA_SYNCED, hello) - hello);
        long ready = stamp(stamps, READY, runtime + rsa);
        Map<String, Double> phases = new LinkedHashMap<>();
        phases.put("process", ms(boot - launchMicros));
        phases.put("framework", ms(framework - boot));
        phases.put("transfer", ms(installed - framework));
        phases.put("runtime", ms(runtime - installed));
        phases.put("rsa", ms(rsa));
        phases.put("bundles", ms(ready - runtime - rsa));
        phases.put("report", ms(receivedMicros - ready));
        return phases;
    }

    /** {@code process 180.2 ms, framework 40.1 ms, …}: the form of the READY event's detail. */
    public static String format(Map<String, Double> phases) {
        return phases.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f ms", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** The inverse of {@link #format}; text that is not a phase list gives an empty map. */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> phases = new LinkedHashMap<>();
        Matcher m = PHASE.matcher(text);
        while (m.find()) {
            phases.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return phases;
    }

    private static long stamp(Map<String, String> stamps, String key, long fallback) {
        String value = stamps.get(key);
        try {
            return value == null ? fallback : Math.max(fallback, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static double ms(long micros) {
        return Math.max(0, micros) / 1_000.0;
    }
}
