package io.cordon.main.sandbox;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

import io.cordon.api.RendererType;
import io.cordon.api.SandboxLevel;
import io.cordon.main.RecordingLogger;
import io.cordon.main.sandbox.CgroupSetup.Facts;
import io.cordon.main.sandbox.CgroupSetup.Plan;

/**
 * cgroup v2 limits: the decision from what main reads, and the files written, on a folder standing in
 * for the cgroup file system (plain files keep what is written; rmdir there is a recursive delete, as the
 * kernel's takes the interface files along).
 */
public class CgroupTest {

    private static final Path MOUNT = Path.of("/sys/fs/cgroup");
    private static final long MAIN = 4242;
    private static final Set<String> ALL = Set.of("cpu", "memory", "pids");
    private final List<Path> temp = new ArrayList<>();

    @After
    public void cleanUp() throws IOException {
        for (Path dir : temp) {
            deleteTree(dir);
        }
    }

    // ---- reading /proc ----

    @Test
    public void findsTheCgroup2MountAndMainsGroup() {
        String hybrid = String.join("\n",
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")), CgroupSetup.cgroup2Mount(hybrid));
        assertEquals(Optional.of(Path.of("/mnt/my cgroups")),
                CgroupSetup.cgroup2Mount("29 1 0:26 / /mnt/my\\040cgroups rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate"));
        assertEquals(Optional.empty(), CgroupSetup.cgroup2Mount("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"));
        assertEquals(Optional.of("/system.slice/cordon.service"),
                CgroupSetup.v2Group("4:memory:/x\n0::/system.slice/cordon.service\n"));
        assertEquals(Optional.empty(), CgroupSetup.v2Group("4:memory:/x\n1:cpu:/\n"));
    }

    /** The machine these tests were written on: cgroup v1 hybrid, cgroup2 mounted with no controllers but hugetlb. */
    @Test
    public void aHybridMachineWithoutControllersHasNoLimitsAndSaysWhy() {
        Plan plan = CgroupSetup.decide(facts(Path.of("/sys/fs/cgroup/unified"), "/", Set.of("hugetlb"), Set.of(), true, Set.of(1L, MAIN)));
        assertFalse(plan.available());
        assertTrue(plan.unavailable(),
                plan.unavailable().contains("/sys/fs/cgroup/unified offers none of the controllers cpu, memory, pids (it has: hugetlb)"));
        assertTrue(plan.unavailable(), plan.unavailable().contains("systemd.unified_cgroup_hierarchy=1"));
    }

    @Test
    public void noCgroup2NoGroupOrNotWritableIsNoLimits() {
        assertTrue(CgroupSetup.decide(facts(null, null, Set.of(), Set.of(), false, Set.of())).unavailable().startsWith("no cgroup v2"));
        assertTrue(CgroupSetup.decide(facts(MOUNT, null, Set.of(), Set.of(), false, Set.of())).unavailable().contains("0:: line"));
        assertTrue(CgroupSetup.decide(facts(MOUNT, "/user.slice", ALL, Set.of(), false, Set.of(MAIN))).unavailable()
                .contains("/sys/fs/cgroup/user.slice is not writable"));
    }

    @Test
    public void aDelegatedGroupHoldingOnlyMainIsUsedAfterMainMovesIntoItsLeaf() {
        Plan plan = CgroupSetup.decide(facts(MOUNT, "/system.slice/cordon.service", Set.of("cpu", "pids", "io"), Set.of(), true,
                Set.of(MAIN)));
        assertTrue(plan.unavailable(), plan.available());
        assertEquals(MOUNT.resolve("system.slice/cordon.service"), plan.base());
        assertEquals("only the controllers Cordon uses and the group has", List.of("cpu", "pids"), List.copyOf(plan.controllers()));
        assertTrue(plan.moveMain());
    }

    @Test
    public void aGroupWhoseControllersAreHandedDownAlreadyNeedsNoMove() {
        Plan plan = CgroupSetup.decide(facts(MOUNT, "/cordon", ALL, ALL, true, Set.of()));
        assertTrue(plan.available());
        assertFalse(plan.moveMain());
    }

    @Test
    public void otherProcessesInMainsGroupAreNotMainsToMove() {
        Plan plan = CgroupSetup.decide(facts(MOUNT, "/session-3.scope", ALL, Set.of(), true, Set.of(MAIN, 17L)));
        assertFalse(plan.available());
        assertTrue(plan.unavailable(), plan.unavailable().contains("also holds other processes (1, e.g. pid 17)"));
    }

    // ---- the files written ----

    @Test
    public void preparingMovesMainIntoItsLeafAndHandsTheControllersDown() throws IOException {
        Path base = fakeGroup("cpu memory pids io", MAIN);
        Plan prepared = CgroupSetup.prepare(new Plan(base, allInOrder(), true, null), MAIN);
        assertTrue(prepared.unavailable(), prepared.available());
        assertEquals(Long.toString(MAIN), Files.readString(base.resolve("cordon-main/cgroup.procs")));
        assertEquals("+cpu +memory +pids", Files.readString(base.resolve("cgroup.subtree_control")));
    }

    @Test
    public void aFailedPreparationIsNoLimitsAndMainGoesBack() throws IOException {
        Path base = fakeGroup("cpu", MAIN);
        Files.delete(base.resolve("cgroup.subtree_control"));
        Files.createDirectory(base.resolve("cgroup.subtree_control")); // writing it fails
        Plan prepared = CgroupSetup.prepare(new Plan(base, Set.of("cpu"), true, null), MAIN);
        assertFalse(prepared.available());
        assertTrue(prepared.unavailable(), prepared.unavailable().startsWith("could not hand the controllers cpu of " + base));
        assertEquals("main moved back (its emptied leaf is removed on the kernel's file system, where rmdir takes "
                + "the interface files along)", Long.toString(MAIN), Files.readString(base.resolve("cgroup.procs")));
    }

    @Test
    public void limitFilesInTheKernelsUnits() {
        assertEquals(Map.of("cpu.max", "50000 100000", "memory.max", Long.toString(256L << 20), "pids.max", "64"),
                CgroupTree.limitFiles(new RendererType.Resources(10, 0.5, 256, 64)));
        assertEquals("a tiny share is still a valid quota", Map.of("cpu.max", "1000 100000"),
                CgroupTree.limitFiles(new RendererType.Resources(0, 0.0001, 0, 0)));
        assertEquals(Map.of("cpu.max", "150000 100000"), CgroupTree.limitFiles(new RendererType.Resources(0, 1.5, 0, 0)));
        assertEquals(Map.of(), CgroupTree.limitFiles(RendererType.Resources.DEFAULT));
    }

    @Test
    public void onlyTheLimitsWhoseControllerIsThereApply() {
        CgroupTree tree = new CgroupTree(MOUNT, Set.of("memory"), RecordingLogger.of(new ArrayList<>()), CgroupTest::deleteTree);
        assertEquals(new RendererType.Resources(5, 0, 256, 0), tree.applicable(new RendererType.Resources(5, 0.5, 256, 64)));
    }

    @Test
    public void aRendererGetsAGroupWithItsLimitsWhichGoesWhenItExits() throws Exception {
        Path base = fakeGroup("cpu memory pids", MAIN);
        List<String> log = new ArrayList<>();
        CgroupTree tree = new CgroupTree(base, ALL, RecordingLogger.of(log, "warn"), CgroupTest::deleteTree);
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            tree.place(7, sleeper, new RendererType.Resources(10, 0.5, 256, 64));
            Path group = base.resolve("cordon-renderer-7-" + sleeper.pid());
            assertEquals("50000 100000", Files.readString(group.resolve("cpu.max")));
            assertEquals(Long.toString(256L << 20), Files.readString(group.resolve("memory.max")));
            assertEquals("64", Files.readString(group.resolve("pids.max")));
            assertEquals("its nice as the group's weight", "10", Files.readString(group.resolve("cpu.weight.nice")));
            assertEquals(Long.toString(sleeper.pid()), Files.readString(group.resolve("cgroup.procs")));
            sleeper.destroyForcibly().waitFor();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Files.exists(group) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse("removed once the renderer exited", Files.exists(group));
            assertEquals(List.of(), log);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    /** What a renderer forked stays in its group after it exits: removing the group kills it first (as rmdir is EBUSY till then). */
    @Test
    public void removingAGroupKillsWhatIsLeftInIt() throws Exception {
        Path base = fakeGroup("pids", MAIN);
        Process leftover = new ProcessBuilder("sleep", "30").start();
        try {
            Path group = Files.createDirectory(base.resolve("cordon-renderer-9-1"));
            Files.writeString(group.resolve("cgroup.procs"), leftover.pid() + "\n");
            List<String> log = new ArrayList<>();
            CgroupTree tree = new CgroupTree(base, Set.of("pids"), RecordingLogger.of(log, "warn"), dir -> {
                if (leftover.isAlive()) {
                    throw new java.nio.file.FileSystemException(dir.toString(), null, "Device or resource busy");
                }
                deleteTree(dir);
            });
            tree.remove(group);
            assertFalse(leftover.isAlive());
            assertFalse(Files.exists(group));
            assertEquals(List.of(), log);
        } finally {
            leftover.destroyForcibly();
        }
    }

    private static Set<String> allInOrder() {
        return new java.util.LinkedHashSet<>(CgroupSetup.CONTROLLERS);
    }

    private static Facts facts(Path mount, String group, Set<String> controllers, Set<String> subtree, boolean writable, Set<Long> procs) {
        return new Facts(mount, group, controllers, subtree, writable, procs, MAIN);
    }

    /** A folder with the files a cgroup v2 group has that main reads or writes. */
    private Path fakeGroup(String controllers, long... procs) throws IOException {
        Path base = Files.createTempDirectory("cgroup-test-");
        temp.add(base);
        Files.writeString(base.resolve("cgroup.controllers"), controllers);
        Files.writeString(base.resolve("cgroup.subtree_control"), "");
        StringBuilder pids = new StringBuilder();
        for (long pid : procs) {
            pids.append(pid).append('\n');
        }
        Files.writeString(base.resolve("cgroup.procs"), pids);
        return base;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
