package io.cordon.main.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.log.Logger;

import io.cordon.api.RendererType;

/**
 * Applies a renderer type's {@link RendererType.Resources} to a renderer's command: its JVM runs under
 * {@code nice -n N}, so every thread it ever has gets the lower priority (set before the JVM starts; a
 * renice afterwards would reach only the thread it names), inside the sandbox, so the sandbox keeps the
 * pid; a sandboxed renderer's session gets the lower priority too ({@link Autogroup}); and, where
 * {@link CgroupSetup} finds cgroup v2 usable, the process joins a group of its own with the type's limits
 * (and its nice as the group's weight) as soon as it runs. What the machine offers is found out once, at the first renderer
 * that wants it, and logged once; a renderer gets what is there and reports it, never more.
 */
public final class ResourceLimits {

    private final Supplier<Optional<Path>> niceProbe;
    private final Supplier<CgroupSetup.Plan> cgroupProbe;
    private final Autogroup autogroup;
    private final Logger log;
    private Optional<Path> nice;
    private Boolean autogroups;
    private boolean autogroupWarned;
    private CgroupTree cgroups;
    private boolean cgroupsProbed;

    /** With the real {@code nice} on this process's PATH and this machine's cgroups. */
    public ResourceLimits(Logger log) {
        this(() -> SandboxProbe.onPath("nice", System.getenv("PATH")),
                () -> CgroupSetup.prepare(CgroupSetup.decide(CgroupSetup.read(Path.of("/proc"))), ProcessHandle.current().pid()),
                new Autogroup(Path.of("/proc")), log);
    }

    ResourceLimits(Supplier<Optional<Path>> niceProbe, Supplier<CgroupSetup.Plan> cgroupProbe, Autogroup autogroup, Logger log) {
        this.niceProbe = niceProbe;
        this.cgroupProbe = cgroupProbe;
        this.autogroup = autogroup;
        this.log = log;
    }

    /**
     * The command of renderer {@code id} with {@code wanted} applied: the JVM command {@code jvm} is niced, then
     * given to {@code sandbox} to wrap; the result carries what was applied and the cgroup placement.
     */
    public SandboxedCommand apply(int id, RendererType.Resources wanted, List<String> jvm,
                                  Function<List<String>, SandboxedCommand> sandbox) {
        Optional<Path> tool = wanted.nice() > 0 ? niceTool() : Optional.empty();
        List<String> command = new ArrayList<>();
        tool.ifPresent(t -> command.addAll(List.of(t.toString(), "-n", Integer.toString(wanted.nice()))));
        command.addAll(jvm);
        SandboxedCommand sandboxed = sandbox.apply(command);
        int niceGot = tool.isPresent() ? wanted.nice() : 0;
        // A sandboxed renderer has a session, so an autogroup, of its own, where its nice alone counts for nothing.
        SandboxedCommand.Placement placement = niceGot > 0 && sandboxed.level().isolated() && autogroups()
                ? process -> lowerAutogroup(id, process, niceGot) : SandboxedCommand.Placement.NONE;
        CgroupTree tree = wanted.limited() ? cgroups() : null;
        RendererType.Resources limits = tree == null ? RendererType.Resources.NONE : tree.applicable(wanted);
        RendererType.Resources got = new RendererType.Resources(niceGot, limits.cpu(), limits.memoryMb(), limits.pids());
        if (got.limited()) {
            SandboxedCommand.Placement inGroup = process -> tree.place(id, process, got);
            placement = inGroup.then(placement);
        }
        return sandboxed.limited(got, placement);
    }

    /** In the background: the renderer's session is made a moment after it starts. */
    private void lowerAutogroup(int id, Process process, int added) {
        ProcessHandle handle = process.toHandle();
        Thread t = new Thread(() -> {
            String failure = autogroup.lower(handle, added);
            if (failure != null) {
                warnOnce("renderers in a session of their own keep a CPU share equal to main's session (autogroup): " + failure);
            }
        }, "cordon-renderer-" + id + "-autogroup");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void warnOnce(String warning) {
        if (!autogroupWarned) {
            autogroupWarned = true;
            log.warn("{}", warning);
        }
    }

    private synchronized boolean autogroups() {
        if (autogroups == null) {
            autogroups = autogroup.enabled();
        }
        return autogroups;
    }

    private synchronized Optional<Path> niceTool() {
        if (nice == null) {
            nice = niceProbe.get();
            if (nice.isEmpty()) {
                log.warn("renderers run at main's scheduling priority: nice is not on PATH, so the types' nice setting is not applied");
            }
        }
        return nice;
    }

    /** The renderers' cgroups, null where there are none; probed and logged once. */
    private synchronized CgroupTree cgroups() {
        if (!cgroupsProbed) {
            cgroupsProbed = true;
            CgroupSetup.Plan plan = cgroupProbe.get();
            if (plan.available()) {
                cgroups = new CgroupTree(plan.base(), plan.controllers(), log, Files::delete);
                String moved = plan.moveMain() ? " (main moved itself into " + CgroupSetup.MAIN_LEAF + ")" : "";
                log.info("cgroup v2 limits for renderers: a group each under {} with the controllers {}{}", plan.base(),
                        String.join(" ", plan.controllers()), moved);
            } else {
                log.info("the renderer types' cgroup limits (cpu, memory.mb, pids) are not applied on this machine: {}",
                        plan.unavailable());
            }
        }
        return cgroups;
    }
}
