package io.cordon.main.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Linux's autogroups: with {@code kernel.sched_autogroup_enabled=1} every session is a scheduling group of
 * its own, and a thread's nice value counts only against the threads of its own group. A sandboxed
 * renderer starts a new session (no controlling terminal), so its {@code nice} alone would not yield to
 * main; its autogroup is given main's autogroup nice value plus the type's {@code nice} too, as soon as the
 * renderer has its session ({@code /proc/PID/autogroup}, writable by main's user for a higher value).
 */
final class Autogroup {

    private static final Pattern LINE = Pattern.compile("(\\S+) nice (-?\\d+)");
    private static final long POLL_MS = 5;
    private static final long GIVE_UP_MS = 10_000;

    /** What {@code /proc/PID/autogroup} says: the group's name and its nice value. */
    record Group(String name, int nice) {
    }

    private final Path proc;

    Autogroup(Path proc) {
        this.proc = proc;
    }

    /** True when the kernel puts each session in its own scheduling group. */
    boolean enabled() {
        try {
            return Files.readString(proc.resolve("sys/kernel/sched_autogroup_enabled")).trim().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    static Optional<Group> parse(String text) {
        Matcher m = LINE.matcher(text.trim());
        return m.matches() ? Optional.of(new Group(m.group(1), Integer.parseInt(m.group(2)))) : Optional.empty();
    }

    /** The nice value a renderer's autogroup gets: main's, plus the type's, within the kernel's range. */
    static int niceFor(Group main, int added) {
        return Math.min(19, main.nice() + added);
    }

    Optional<Group> of(String pid) {
        try {
            return parse(Files.readString(proc.resolve(pid).resolve("autogroup"), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The kernel prints nothing for a task whose scheduling group is a cgroup rather than an autogroup (a
     * renderer given cgroup limits): its cgroup, not its session, then decides its share of the CPU.
     */
    private boolean inCgroupOfItsOwn(String pid) {
        try {
            return Files.readString(proc.resolve(pid).resolve("autogroup"), StandardCharsets.US_ASCII).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits (on the calling thread; at most {@value #GIVE_UP_MS} ms, while the process lives) until process
     * {@code pid} is in an autogroup other than main's, then gives that group main's nice plus {@code added}.
     * Returns null when done or not needed (it never left main's group, or its cgroup schedules it), else why
     * it could not.
     */
    String lower(ProcessHandle process, int added) {
        Optional<Group> main = of("self");
        if (main.isEmpty()) {
            return "cannot read /proc/self/autogroup";
        }
        String pid = Long.toString(process.pid());
        long deadline = System.nanoTime() + GIVE_UP_MS * 1_000_000;
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (inCgroupOfItsOwn(pid)) {
                return null;
            }
            Optional<Group> own = of(pid);
            if (own.isPresent() && !own.get().name().equals(main.get().name())) {
                try {
                    Files.writeString(proc.resolve(pid).resolve("autogroup"), Integer.toString(niceFor(main.get(), added)),
                            StandardCharsets.US_ASCII);
                    return null;
                } catch (IOException e) {
                    return "cannot write " + proc.resolve(pid).resolve("autogroup") + ": " + e.getMessage();
                }
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }
}
