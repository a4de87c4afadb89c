package io.cordon.main.sandbox;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

import io.cordon.api.RendererType;
import io.cordon.api.SandboxLevel;
import io.cordon.main.RecordingLogger;

/** How a type's resources reach the command, and what a renderer reports it got. */
public class ResourceLimitsTest {

    private static final List<String> JAVA = List.of("/jdk/bin/java", "-Xmx64m", "Boot");
    private static final Path NICE = Path.of("/usr/bin/nice");
    /** A /proc where the kernel has no autogroups. */
    private static final Autogroup NO_AUTOGROUPS = new Autogroup(Path.of("/nonexistent-proc"));
    private static final RendererType.Resources LIMITED = new RendererType.Resources(10, 0.5, 256, 64);

    @Test
    public void theJvmIsNicedInsideTheSandboxSoTheSandboxKeepsItsPid() {
        ResourceLimits limits = new ResourceLimits(() -> Optional.of(NICE), () -> fail("no cgroup probe without limits"),
                NO_AUTOGROUPS, RecordingLogger.of(new ArrayList<>()));
        List<List<String>> toSandbox = new ArrayList<>();
        SandboxedCommand c = limits.apply(3, RendererType.Resources.DEFAULT, JAVA, jvm -> {
            toSandbox.add(jvm);
            return new SandboxedCommand(SandboxLevel.NS_UNSHARE, concat(List.of("/usr/bin/unshare", "--"), jvm));
        });
        assertEquals(List.of(concat(List.of("/usr/bin/nice", "-n", "10"), JAVA)), toSandbox);
        assertEquals(List.of("/usr/bin/unshare", "--", "/usr/bin/nice", "-n", "10", "/jdk/bin/java", "-Xmx64m", "Boot"), c.command());
        assertEquals(SandboxLevel.NS_UNSHARE, c.level());
        assertEquals(RendererType.Resources.DEFAULT, c.resources());
        assertSame(SandboxedCommand.Placement.NONE, c.placement());
    }

    @Test
    public void niceZeroOrNoNiceToolRunsTheJvmAsIsAndSaysSoOnce() {
        List<String> log = new ArrayList<>();
        AtomicInteger probes = new AtomicInteger();
        ResourceLimits limits = new ResourceLimits(() -> {
            probes.incrementAndGet();
            return Optional.empty();
        }, () -> fail("no cgroup probe without limits"), NO_AUTOGROUPS, RecordingLogger.of(log, "warn", "info"));
        assertEquals(JAVA, limits.apply(1, RendererType.Resources.NONE, JAVA, this::off).command());
        assertEquals("nice=0 does not look for nice", 0, probes.get());
        SandboxedCommand c = limits.apply(2, RendererType.Resources.DEFAULT, JAVA, this::off);
        limits.apply(3, RendererType.Resources.DEFAULT, JAVA, this::off);
        assertEquals(JAVA, c.command());
        assertEquals("it got main's priority", RendererType.Resources.NONE, c.resources());
        assertEquals(1, probes.get());
        assertEquals(1, log.size());
        assertTrue(log.get(0), log.get(0).startsWith("warn renderers run at main's scheduling priority: nice is not on PATH"));
    }

    @Test
    public void withoutCgroupsLimitsAreSkippedWithOneInfoLineNotOnePerSpawn() {
        List<String> log = new ArrayList<>();
        AtomicInteger probes = new AtomicInteger();
        ResourceLimits limits = new ResourceLimits(() -> Optional.of(NICE), () -> {
            probes.incrementAndGet();
            return CgroupSetup.Plan.none("main's cgroup /sys/fs/cgroup/unified offers none of the controllers cpu, memory, pids");
        }, NO_AUTOGROUPS, RecordingLogger.of(log, "warn", "info"));
        for (int id = 1; id <= 3; id++) {
            SandboxedCommand c = limits.apply(id, LIMITED, JAVA, this::off);
            assertEquals("the nice value still applies", new RendererType.Resources(10, 0, 0, 0), c.resources());
            assertSame(SandboxedCommand.Placement.NONE, c.placement());
        }
        assertEquals(1, probes.get());
        assertEquals(List.of("info the renderer types' cgroup limits (cpu, memory.mb, pids) are not applied on this machine: "
                + "main's cgroup /sys/fs/cgroup/unified offers none of the controllers cpu, memory, pids"), log);
    }

    @Test
    public void withCgroupsARendererGetsTheLimitsTheMachineHasControllersFor() {
        List<String> log = new ArrayList<>();
        ResourceLimits limits = new ResourceLimits(() -> Optional.of(NICE),
                () -> new CgroupSetup.Plan(Path.of("/sys/fs/cgroup/cordon.service"), java.util.Set.of("memory", "pids"), true, null),
                NO_AUTOGROUPS, RecordingLogger.of(log, "warn", "info"));
        SandboxedCommand c = limits.apply(4, LIMITED, JAVA, this::off);
        assertEquals(new RendererType.Resources(10, 0, 256, 64), c.resources());
        assertTrue(c.placement() != SandboxedCommand.Placement.NONE);
        assertEquals(1, log.size());
        assertTrue(log.get(0),
                log.get(0).startsWith("info cgroup v2 limits for renderers: a group each under /sys/fs/cgroup/cordon.service"));
        assertTrue(log.get(0), log.get(0).endsWith("(main moved itself into cordon-main)"));
    }

    @Test
    public void onlyASandboxedRendererWithItsOwnSessionHasItsAutogroupLowered() throws Exception {
        Path proc = java.nio.file.Files.createTempDirectory("proc-");
        try {
            java.nio.file.Files.createDirectories(proc.resolve("sys/kernel"));
            java.nio.file.Files.writeString(proc.resolve("sys/kernel/sched_autogroup_enabled"), "1");
            ResourceLimits limits = new ResourceLimits(() -> Optional.of(NICE), () -> fail("no limits"), new Autogroup(proc),
                    RecordingLogger.of(new ArrayList<>()));
            assertTrue(limits.apply(1, RendererType.Resources.DEFAULT, JAVA,
                    jvm -> new SandboxedCommand(SandboxLevel.NS_UNSHARE, jvm)).placement() != SandboxedCommand.Placement.NONE);
            assertSame("unsandboxed: main's session, where its nice counts", SandboxedCommand.Placement.NONE,
                    limits.apply(2, RendererType.Resources.DEFAULT, JAVA, this::off).placement());
            assertSame("nice=0: nothing to lower", SandboxedCommand.Placement.NONE, limits.apply(3, RendererType.Resources.NONE, JAVA,
                    jvm -> new SandboxedCommand(SandboxLevel.NS_UNSHARE, jvm)).placement());
        } finally {
            java.nio.file.Files.delete(proc.resolve("sys/kernel/sched_autogroup_enabled"));
            java.nio.file.Files.delete(proc.resolve("sys/kernel"));
            java.nio.file.Files.delete(proc.resolve("sys"));
            java.nio.file.Files.delete(proc);
        }
    }

    /** A renderer that cannot be placed in its group never runs without its limits: it is ended at once. */
    @Test
    public void aProcessThatCannotBePlacedIsEndedAndTheSpawnFails() throws Exception {
        AtomicReference<Process> started = new AtomicReference<>();
        SandboxedCommand c = new SandboxedCommand(SandboxLevel.OFF, List.of("sleep", "30"), LIMITED, process -> {
            started.set(process);
            throw new IOException("cannot put renderer 5 into cgroup /sys/fs/cgroup/x/cordon-renderer-5-1: No space left on device");
        });
        IOException e = assertThrows(IOException.class, () -> c.start(Path.of("."), java.util.Map.of()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("cannot put renderer 5 into cgroup"));
        assertTrue("ended", started.get().waitFor(10, TimeUnit.SECONDS));
    }

    private SandboxedCommand off(List<String> jvm) {
        return new SandboxedCommand(SandboxLevel.OFF, jvm);
    }

    private static <T> T fail(String why) {
        throw new AssertionError(why);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
