package io.cordon.main.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.promise.Promise;

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

    @Descriptor("list the renderers (and the last gone ones, as GONE:REASON): id, type, pid, state, uptime, resident memory, "
            + "heap used/max, restarts, sandbox level")
    public String renderers() {
        Table table = new Table("ID", "TYPE", "PID", "STATE", "UPTIME", "RSS", "HEAP", "RESTARTS", "SANDBOX");
        for (RendererInfo r : renderers.list()) {
            String state = r.state() == RendererState.GONE ? "GONE:" + r.gone().label()
                    : r.state() == RendererState.READY && !r.responsive() ? "UNRESPONSIVE" : r.state().name();
            table.row(r.id(), r.type(), r.pid(), state, Durations.format(Duration.between(r.startedAt(), Instant.now())),
                    mib(r.rssBytes()), r.heapUsed() < 0 ? "-" : mib(r.heapUsed()) + "/" + mib(r.heapMax()), r.restarts(),
                    r.sandbox());
        }
        return table.toString();
    }

    @Descriptor("start a renderer of a type and wait until it is READY")
    public String spawn(@Descriptor("renderer type name (see cordon:types)") String type) throws Exception {
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

    @Descriptor("list the renderer types and their settings (SANDBOX: the sandbox wanted; cordon:renderers shows the level got)")
    public String types() {
        Table table = new Table("TYPE", "INSTANCES", "HEAP", "RESTART", "SANDBOX", "PRELOAD", "BUNDLES");
        for (RendererType t : renderers.types()) {
            table.row(t.name(), t.instances(), t.heapMb() + "M", t.restart().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    t.sandbox(), join(t.preload()), join(t.bundles()));
        }
        return table.toString();
    }

    @Descriptor("run a Gogo command inside a renderer's framework and print its output, e.g. 'cordon:exec 1 lb'")
    public String exec(@Descriptor("renderer id") int id, @Descriptor("the command and its arguments") String... command) throws Exception {
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

    private static String join(List<String> values) {
        return values.isEmpty() ? "-" : String.join(",", values);
    }
}
