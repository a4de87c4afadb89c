package io.cordon.main.sandbox;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import io.cordon.api.RendererType.SandboxPolicy;
import io.cordon.api.SandboxLevel;
import io.cordon.main.RecordingLogger;
import io.cordon.main.sandbox.SandboxProbe.Availability;

/** The sandbox's pure parts: the command lines, and what each setting gets on each kind of machine. */
public class SandboxTest {

    private static final Path STORAGE = Path.of("/data/renderers/7");
    private static final List<String> JAVA = List.of("/jdk/bin/java", "-Xmx64m", "-cp", "/data/renderer-runtime/boot.jar", "Boot");
    private static final Availability UNSHARE = new Availability(SandboxLevel.NS_UNSHARE, "/usr/bin/unshare", "unshare works");
    private static final Availability BWRAP = new Availability(SandboxLevel.NS_BWRAP, "/usr/bin/bwrap", "bwrap works");
    private static final Availability NOTHING = new Availability(SandboxLevel.NONE, null,
            "bwrap is not on PATH; /usr/bin/unshare failed: exit code 1: unshare: write failed /proc/self/uid_map: Operation not permitted");

    @Test
    public void unsandboxedLevelsRunTheCommandAsIs() {
        assertEquals(JAVA, SandboxRecipe.wrap(SandboxLevel.OFF, null, STORAGE, JAVA));
        assertEquals(JAVA, SandboxRecipe.wrap(SandboxLevel.NONE, null, STORAGE, JAVA));
    }

    @Test
    public void unshareSetsUpTheNamespacesThenExecsTheCommandWithItsStorage() {
        List<String> cmd = SandboxRecipe.wrap(SandboxLevel.NS_UNSHARE, "/usr/bin/unshare", STORAGE, JAVA);
        assertEquals("/usr/bin/unshare", cmd.get(0));
        int dashes = cmd.indexOf("--");
        assertTrue(cmd.toString(), cmd.subList(1, dashes).containsAll(List.of("--user", "--map-root-user", "--net", "--mount")));
        assertEquals(List.of("/bin/sh", "-c", SandboxRecipe.UNSHARE_SCRIPT, SandboxRecipe.SCRIPT_NAME, "/data/renderers/7"),
                cmd.subList(dashes + 1, dashes + 6));
        assertEquals("the command follows unchanged", JAVA, cmd.subList(dashes + 6, cmd.size()));
    }

    @Test
    public void theUnshareScriptExecsSoTheJvmKeepsThePidAndHasNoCapabilities() {
        String script = SandboxRecipe.UNSHARE_SCRIPT;
        assertTrue(script, script.startsWith("set -e\n"));
        assertTrue(script, script.contains("remount,bind,ro${opts#r[ow]}"));
        assertTrue(script, script.contains("< /proc/self/mountinfo"));
        String last = script.substring(script.lastIndexOf('\n') + 1);
        assertTrue(last, last.startsWith("exec setsid -w setpriv --no-new-privs --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- "));
        assertTrue(last, last.endsWith("\"$@\""));
    }

    @Test
    public void bwrapBindsOnlyTheStorageReadWrite() {
        List<String> cmd = SandboxRecipe.wrap(SandboxLevel.NS_BWRAP, "/usr/bin/bwrap", STORAGE, JAVA);
        assertEquals("/usr/bin/bwrap", cmd.get(0));
        String options = String.join(" ", cmd.subList(1, cmd.indexOf("--")));
        assertTrue(options, options.contains("--unshare-all"));
        assertTrue(options, options.contains("--die-with-parent"));
        assertTrue(options, options.contains("--ro-bind / /"));
        assertTrue(options, options.contains("--bind /data/renderers/7 /data/renderers/7"));
        assertEquals(JAVA, cmd.subList(cmd.indexOf("--") + 1, cmd.size()));
    }

    @Test
    public void offNeverProbes() {
        Sandbox.Decision d = Sandbox.decide("renderer 1 (t)", SandboxPolicy.OFF, null);
        assertEquals(SandboxLevel.OFF, d.level());
        assertNull(d.warning());
    }

    @Test
    public void autoAndStrictTakeTheBestAvailable() {
        for (SandboxPolicy wanted : List.of(SandboxPolicy.AUTO, SandboxPolicy.STRICT)) {
            assertEquals(SandboxLevel.NS_UNSHARE, Sandbox.decide("r", wanted, UNSHARE).level());
            assertEquals(SandboxLevel.NS_BWRAP, Sandbox.decide("r", wanted, BWRAP).level());
            assertEquals("/usr/bin/bwrap", Sandbox.decide("r", wanted, BWRAP).tool());
            assertNull(Sandbox.decide("r", wanted, BWRAP).warning());
        }
    }

    @Test
    public void autoWithoutASandboxRunsUnsandboxedWithAWarningThatSaysWhy() {
        Sandbox.Decision d = Sandbox.decide("renderer 3 (sample)", SandboxPolicy.AUTO, NOTHING);
        assertEquals(SandboxLevel.NONE, d.level());
        assertTrue(d.warning(), d.warning().contains("renderer 3 (sample) runs with no OS sandbox"));
        assertTrue(d.warning(), d.warning().contains("uid_map: Operation not permitted"));
    }

    @Test
    public void strictWithoutASandboxRefusesNamingTheFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sandbox.decide("renderer 4 (locked)", SandboxPolicy.STRICT, NOTHING));
        for (String fragment : List.of("renderer 4 (locked) not started", "uid_map: Operation not permitted", "bubblewrap",
                "user.max_user_namespaces", "sandbox=auto or sandbox=off")) {
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }

    @Test
    public void probesOnceLogsOnceAndWarnsAtEveryUnsandboxedSpawn() {
        AtomicInteger probes = new AtomicInteger();
        List<String> warnings = new ArrayList<>();
        Sandbox sandbox = new Sandbox(() -> {
            probes.incrementAndGet();
            return NOTHING;
        }, RecordingLogger.of("WARN", warnings));
        assertEquals(SandboxLevel.OFF, sandbox.apply("renderer 1 (a)", SandboxPolicy.OFF, STORAGE, JAVA).level());
        assertEquals("off does not probe", 0, probes.get());
        SandboxedCommand first = sandbox.apply("renderer 2 (b)", SandboxPolicy.AUTO, STORAGE, JAVA);
        sandbox.apply("renderer 3 (b)", SandboxPolicy.AUTO, STORAGE, JAVA);
        assertThrows(IllegalStateException.class, () -> sandbox.apply("renderer 4 (c)", SandboxPolicy.STRICT, STORAGE, JAVA));
        assertEquals(SandboxLevel.NONE, first.level());
        assertEquals(JAVA, first.command());
        assertEquals(1, probes.get());
        assertEquals("one warning for the machine, then one per unsandboxed spawn: " + warnings, 3, warnings.size());
        assertTrue(warnings.get(2), warnings.get(2).contains("renderer 3 (b)"));
    }

    @Test
    public void findsExecutablesOnPath() {
        assertEquals(Path.of("/bin/sh"), SandboxProbe.onPath("sh", "/nonexistent:/bin").orElseThrow());
        assertTrue(SandboxProbe.onPath("no-such-tool-here", "/bin:/usr/bin").isEmpty());
        assertTrue(SandboxProbe.onPath("sh", null).isEmpty());
    }
}
