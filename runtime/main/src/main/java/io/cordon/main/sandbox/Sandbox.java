package io.cordon.main.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.osgi.service.log.Logger;

import io.cordon.api.RendererType.SandboxPolicy;
import io.cordon.api.SandboxLevel;
import io.cordon.main.sandbox.SandboxProbe.Availability;

/**
 * Applies a renderer type's {@code sandbox} setting ({@code off}, {@code auto}, {@code strict}) to a
 * renderer's command line. What this machine offers is probed once, on first use, and logged once;
 * {@code auto} without a sandbox logs a warning at every spawn and {@code strict} without one refuses
 * to spawn: never a silent downgrade.
 */
public final class Sandbox {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    /** What a spawn gets: the level, the wrapper tool, and the warning to log (null when none). */
    record Decision(SandboxLevel level, String tool, String warning) {
    }

    private final Supplier<Availability> probe;
    private final Logger log;
    private Availability available;

    /** Probes with the real tools on this process's PATH, in a scratch folder under {@code work}. */
    public Sandbox(Path work, Logger log) {
        this(() -> SandboxProbe.detect(work, System.getenv("PATH"), PROBE_TIMEOUT), log);
    }

    Sandbox(Supplier<Availability> probe, Logger log) {
        this.probe = probe;
        this.log = log;
    }

    /** Probes now unless done already (blocking; the supervisor calls it once in the background at start). */
    public synchronized String availability() {
        return available().report();
    }

    private synchronized Availability available() {
        if (available == null) {
            available = probe.get();
            if (available.isolated()) {
                log.info("OS sandbox for renderers: {} ({})", available.level().label(), available.report());
            } else {
                log.warn("no OS sandbox for renderers on this machine: {}; types with sandbox=strict will not spawn, "
                        + "sandbox=auto runs them unsandboxed", available.report());
            }
        }
        return available;
    }

    /**
     * The command that runs {@code command} for {@code renderer} (a label for the log) of a type that
     * wants {@code wanted}, with {@code storage} its only writable folder.
     *
     * @throws IllegalStateException when {@code wanted} is strict and this machine has no sandbox
     */
    public SandboxedCommand apply(String renderer, SandboxPolicy wanted, Path storage, List<String> command) {
        Decision decision = decide(renderer, wanted, wanted == SandboxPolicy.OFF ? null : available());
        if (decision.warning() != null) {
            log.warn("{}", decision.warning());
        }
        return new SandboxedCommand(decision.level(), SandboxRecipe.wrap(decision.level(), decision.tool(), storage, command));
    }

    /** The pure rule: {@code available} may be null for {@code off}, which never probes. */
    static Decision decide(String renderer, SandboxPolicy wanted, Availability available) {
        return switch (wanted) {
            case OFF -> new Decision(SandboxLevel.OFF, null, null);
            case AUTO -> available.isolated() ? new Decision(available.level(), available.tool(), null)
                    : new Decision(SandboxLevel.NONE, null, renderer + " runs with no OS sandbox (sandbox=auto): "
                            + available.report());
            case STRICT -> {
                if (available.isolated()) {
                    yield new Decision(available.level(), available.tool(), null);
                }
                throw new IllegalStateException(renderer + " not started: sandbox=strict, but this machine has no OS sandbox ("
                        + available.report() + "). Install bubblewrap (bwrap) or util-linux (unshare, mount, setpriv), "
                        + "allow unprivileged user namespaces (sysctl user.max_user_namespaces=15000, "
                        + "kernel.unprivileged_userns_clone=1 on Debian kernels, kernel.apparmor_restrict_unprivileged_userns=0 "
                        + "on Ubuntu), or set sandbox=auto or sandbox=off in the renderer type");
            }
        };
    }
}
