package io.cordon.main.shell;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererHealth;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;
import io.cordon.api.Renderers;

/**
 * Renderer administration in scope {@code cordon}. Names like {@code stop} and {@code restart} also
 * exist in Felix's own scope, so type them as {@code cordon:stop}. Failures are thrown, so the shell
 * prints them and scripted mode exits non-zero.
 */
@Component(service = RendererCommands.class, property = {
        "osgi.command.scope=cordon",
        "osgi.command.function=renderers", "osgi.command.function=spawn", "osgi.command.function=stop",
        "osgi.command.function=restart", "osgi.command.function=kill", "osgi.command.function=types",
        "osgi.command.function=exec"})
public final class RendererCommands {

    private final Renderers renderers;

    @Activate
    public RendererCommands(@Reference Renderers renderers) {
        this.renderers = renderers;
    }

    @Descriptor("list the renderers (and the last gone ones, as GONE:REASON): id, type, pid, state, health (ok, or degraded: "
            + "a bundle not active or a component unsatisfied), uptime, resident memory, heap used/max, restarts, sandbox level, "
            + "nice value added and cgroup limits got")
    public String renderers() {
        Table table = new Table("ID", "TYPE", "PID", "STATE", "HEALTH", "UPTIME", "RSS", "HEAP", "RESTARTS", "SANDBOX", "NICE", "LIMITS");
        for (RendererInfo r : renderers.list()) {
            String state = r.state() == RendererState.GONE ? "GONE:" + r.gone().label()
                    : r.state() == RendererState.READY && !r.responsive() ? "UNRESPONSIVE" : r.state().name();
            table.row(r.id(), r.type(), r.pid(), state, r.health() == RendererHealth.UNKNOWN ? "-" : r.health().label(),
                    Durations.format(Duration.between(r.startedAt(), Instant.now())), mib(r.rssBytes()),
                    r.heapUsed() < 0 ? "-" : mib(r.heapUsed()) + "/" + mib(r.heapMax()), r.restarts(),
                    r.sandboxLevel() == null ? "-" : r.sandboxLevel().label(), r.resources().nice(), limits(r.resources()));
        }
        return table.toString();
    }

    @Descriptor("start a renderer of a type and wait until it is READY")
    public String spawn(@Descriptor("renderer type (cordon:types lists them)") String type) throws Exception {
        return describe(await(renderers.spawn(type)));
    }

    @Descriptor("stop a renderer (SHUTDOWN, SIGKILL after the stop timeout) and wait until it is gone")
    public String stop(@Descriptor("renderer id") int id) throws Exception {
        return describe(await(renderers.stop(id)));
    }

    @Descriptor("stop a renderer and start it again with the same id")
    public String restart(@Descriptor("renderer id") int id) throws Exception {
        return describe(await(renderers.restart(id)));
    }

    @Descriptor("SIGKILL a renderer (to test recovery; its type's restart policy applies)")
    public String kill(@Descriptor("renderer id") int id) throws Exception {
        return describe(await(renderers.kill(id)));
    }

    @Descriptor("list the renderer types and their settings (SANDBOX, NICE, LIMITS: what is wanted; cordon:renderers shows what each got)")
    public String types() {
        Table table = new Table("TYPE", "INSTANCES", "HEAP", "RESTART", "SANDBOX", "NICE", "LIMITS", "PRELOAD", "BUNDLES");
        for (RendererType t : renderers.types()) {
            table.row(t.name(), t.instances(), t.heapMb() + "M", t.restart().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    t.sandboxPolicy().name().toLowerCase(Locale.ROOT), t.resources().nice(), limits(t.resources()), join(t.preload()),
                    join(t.bundles()));
        }
        return table.toString();
    }

    @Descriptor("run a Gogo command inside a renderer's framework and print its output, e.g. 'cordon:exec 1 lb'")
    public String exec(@Descriptor("renderer id") int id,
                       @Descriptor("COMMAND and its arguments, run in that renderer's framework") String... command) throws Exception {
        if (command.length == 0) {
            throw new IllegalArgumentException("usage: cordon:exec ID COMMAND…");
        }
        return await(renderers.exec(id, String.join(" ", command))).stripTrailing();
    }

    private static String describe(RendererInfo r) {
        String what = r.state() == RendererState.GONE
                ? "GONE (" + (r.gone() == null ? "?" : r.gone().label()) + ", exit code " + r.exitCode() + ")"
                : r.state() + ", pid " + r.pid();
        return "renderer " + r.id() + " (" + r.type() + ") " + what;
    }

    private static <T> T await(Promise<T> promise) throws Exception {
        Throwable failure = promise.getFailure();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return promise.getValue();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : (bytes + (1 << 19)) / (1 << 20) + "M";
    }

    /** The cgroup limits as one word, {@code cpu=0.5,memory=256M,pids=64} (those set), or {@code -}. */
    static String limits(RendererType.Resources r) {
        List<String> set = new ArrayList<>();
        if (r.cpu() > 0) {
            set.add("cpu=" + BigDecimal.valueOf(r.cpu()).stripTrailingZeros().toPlainString());
        }
        if (r.memoryMb() > 0) {
            set.add("memory=" + r.memoryMb() + "M");
        }
        if (r.pids() > 0) {
            set.add("pids=" + r.pids());
        }
        return set.isEmpty() ? "-" : String.join(",", set);
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? "-" : String.join(",", values);
    }
}
