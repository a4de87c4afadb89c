package io.cordon.main.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds out once whether main may give renderers cgroup v2 limits, and prepares for it: cgroup v2
 * mounted, main's own group offering the {@code cpu}, {@code memory} or {@code pids} controller, writable
 * by main's user (root, or delegated: systemd's {@code Delegate=yes}). cgroup v2 lets a non-root group hand
 * controllers to sub-groups only while it holds no process itself, so main first moves itself into a leaf
 * {@value #MAIN_LEAF}, as systemd asks of services that manage their own sub-groups; if other processes
 * share main's group, that is not main's to do and limits are skipped.
 */
final class CgroupSetup {

    static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");
    static final String MAIN_LEAF = "cordon-main";
    private static final String FIX = "on a cgroup v1 or hybrid machine boot with systemd.unified_cgroup_hierarchy=1; "
            + "run Cordon in a cgroup of its own with those controllers delegated (systemd Delegate=yes)";

    /**
     * What main reads about its cgroup.
     *
     * @param mount          where cgroup2 is mounted, null if nowhere
     * @param group          main's group under it, from {@code /proc/self/cgroup} ({@code 0::/PATH}), null if none
     * @param controllers    the group's {@code cgroup.controllers}
     * @param subtreeControl the controllers its sub-groups get already ({@code cgroup.subtree_control})
     * @param writable       whether main's user may create sub-groups and hand them controllers
     * @param procs          the processes in the group ({@code cgroup.procs})
     * @param mainPid        main's own pid
     */
    record Facts(Path mount, String group, Set<String> controllers, Set<String> subtreeControl, boolean writable,
                 Set<Long> procs, long mainPid) {

        Path base() {
            return mount.resolve(group.replaceFirst("^/+", ""));
        }
    }

    /**
     * The decision: either where renderers' groups go ({@code base}), with which controllers and whether main
     * must first move into its leaf, or why there are none ({@code unavailable}, for the log).
     */
    record Plan(Path base, Set<String> controllers, boolean moveMain, String unavailable) {
        static Plan none(String why) {
            return new Plan(null, Set.of(), false, why);
        }

        boolean available() {
            return unavailable == null;
        }
    }

    private CgroupSetup() {
    }

    /** The pure rule. */
    static Plan decide(Facts f) {
        if (f.mount() == null) {
            return Plan.none("no cgroup v2 file system is mounted; " + FIX);
        }
        if (f.group() == null) {
            return Plan.none("main is in no cgroup v2 group (/proc/self/cgroup has no 0:: line); " + FIX);
        }
        Path base = f.base();
        Set<String> usable = CONTROLLERS.stream().filter(f.controllers()::contains).collect(Collectors.toCollection(LinkedHashSet::new));
        if (usable.isEmpty()) {
            return Plan.none("main's cgroup " + base + " offers none of the controllers cpu, memory, pids (it has: "
                    + (f.controllers().isEmpty() ? "none" : String.join(" ", f.controllers())) + "); " + FIX);
        }
        if (!f.writable()) {
            return Plan.none("main's cgroup " + base + " is not writable by this user; run Cordon as its owner or in a "
                    + "delegated cgroup (systemd Delegate=yes, or systemd-run --user -p Delegate=yes)");
        }
        if (f.subtreeControl().containsAll(usable)) {
            return new Plan(base, usable, false, null);
        }
        Set<Long> others = f.procs().stream().filter(pid -> pid != f.mainPid()).collect(Collectors.toCollection(LinkedHashSet::new));
        if (!others.isEmpty()) {
            return Plan.none("main's cgroup " + base + " also holds other processes (" + others.size() + ", e.g. pid "
                    + others.iterator().next() + "), so it cannot hand its controllers to sub-groups; run Cordon in a cgroup "
                    + "of its own (systemd Delegate=yes, or systemd-run -p Delegate=yes)");
        }
        return new Plan(base, usable, f.procs().contains(f.mainPid()), null);
    }

    /** Reads this process's facts from {@code /proc} and the cgroup file system; never throws. */
    static Facts read(Path proc) {
        long pid = ProcessHandle.current().pid();
        Path mount = text(proc.resolve("self/mountinfo")).flatMap(CgroupSetup::cgroup2Mount).orElse(null);
        String group = text(proc.resolve("self/cgroup")).flatMap(CgroupSetup::v2Group).orElse(null);
        if (mount == null || group == null) {
            return new Facts(mount, group, Set.of(), Set.of(), false, Set.of(), pid);
        }
        Path base = mount.resolve(group.replaceFirst("^/+", ""));
        return new Facts(mount, group, words(base.resolve("cgroup.controllers")), words(base.resolve("cgroup.subtree_control")),
                Files.isWritable(base) && Files.isWritable(base.resolve("cgroup.subtree_control")),
                words(base.resolve("cgroup.procs")).stream().map(Long::valueOf).collect(Collectors.toSet()), pid);
    }

    /** Carries out an available plan: moves main into its leaf if needed, enables the controllers for sub-groups. */
    static Plan prepare(Plan plan, long mainPid) {
        if (!plan.available()) {
            return plan;
        }
        Path base = plan.base();
        Path leaf = base.resolve(MAIN_LEAF);
        try {
            if (plan.moveMain()) {
                Files.createDirectories(leaf);
                write(leaf.resolve("cgroup.procs"), Long.toString(mainPid));
            }
            write(base.resolve("cgroup.subtree_control"),
                    plan.controllers().stream().map(c -> "+" + c).collect(Collectors.joining(" ")));
            Set<String> enabled = words(base.resolve("cgroup.subtree_control"));
            if (!enabled.containsAll(plan.controllers())) {
                throw new IOException("cgroup.subtree_control has " + enabled + " after enabling " + plan.controllers());
            }
            return plan;
        } catch (IOException | RuntimeException e) {
            if (plan.moveMain()) {
                moveBack(base, leaf, mainPid);
            }
            return Plan.none("could not hand the controllers " + String.join(" ", plan.controllers()) + " of " + base
                    + " to sub-groups: " + e.getMessage());
        }
    }

    private static void moveBack(Path base, Path leaf, long mainPid) {
        try {
            write(base.resolve("cgroup.procs"), Long.toString(mainPid));
            Files.deleteIfExists(leaf);
        } catch (IOException e) {
            // main stays in its leaf, which is harmless: the group's other settings still apply to it
        }
    }

    /** The mount point of the first cgroup2 file system in a {@code /proc/PID/mountinfo}. */
    static Optional<Path> cgroup2Mount(String mountinfo) {
        return mountinfo.lines().map(line -> line.split(" ")).filter(f -> {
            int dash = Arrays.asList(f).indexOf("-");
            return dash > 4 && dash + 1 < f.length && f[dash + 1].equals("cgroup2");
        }).map(f -> Path.of(unescape(f[4]))).findFirst();
    }

    /** mountinfo writes a space, tab, newline or backslash in a path as an octal escape such as {@code \040}. */
    private static String unescape(String field) {
        return java.util.regex.Pattern.compile("\\\\([0-7]{3})").matcher(field)
                .replaceAll(m -> String.valueOf((char) Integer.parseInt(m.group(1), 8)));
    }

    /** The unified hierarchy's group in a {@code /proc/PID/cgroup}: the path of its {@code 0::} line. */
    static Optional<String> v2Group(String cgroup) {
        return cgroup.lines().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst();
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    private static Optional<String> text(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The whitespace-separated words of a file; empty when unreadable. A {@code +} is dropped: the kernel
     * lists enabled controllers without it, a plain file (in tests) keeps what was written.
     */
    static Set<String> words(Path file) {
        return text(file).map(t -> Arrays.stream(t.trim().split("\\s+")).filter(w -> !w.isEmpty())
                .map(w -> w.startsWith("+") ? w.substring(1) : w).collect(Collectors.toCollection(LinkedHashSet::new)))
                .orElseGet(LinkedHashSet::new);
    }
}
