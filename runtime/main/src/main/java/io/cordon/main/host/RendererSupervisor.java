package io.cordon.main.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererListener;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;
import io.cordon.api.Renderers;
import io.cordon.common.channel.Messages;
import io.cordon.main.deploy.DeploySettings;
import io.cordon.main.deploy.DeployTarget;
import io.cordon.main.deploy.RendererHotDeploy;
import io.cordon.main.rsa.RendererConnections;
import io.cordon.main.sandbox.ResourceLimits;
import io.cordon.main.sandbox.Sandbox;

/**
 * Spawns and supervises every renderer of the main framework: the DS component, the {@link Renderers} API, and
 * the entry for type changes ({@link RendererTypeComponent}) and the hosts' callbacks. It decides nothing itself:
 * each request is handed to the part that decides, on the supervisor's one thread ({@link SupervisorThread}), so
 * edits, kills, crashes, stops and limit changes never race. The parts: {@link TypeReconcile} (each type's
 * renderers converge to its {@code instances}), {@link Launches} (a slot's renderer started, or refused),
 * {@link Restarts} (the restart policy with backoff; a stop is a stop), {@link SpareRenderers} (processes
 * started ahead), {@link HostEvents} (what renderers report), {@link Heartbeat} and {@link StartupSettling}.
 *
 * <p>One component, not several: the parts share one thread and one roster, and main's stop must stop them
 * in one order (no restart after the renderers are told to stop, no renderer outliving the supervisor).
 */
@Component(service = {Renderers.class, RendererSupervisor.class}, immediate = true, configurationPid = "io.cordon.supervisor")
@Designate(ocd = SupervisorConfig.class)
public final class RendererSupervisor implements Renderers, RendererHost.Callbacks {

    private final Logger log;
    private final SupervisorConfig config;
    private final Path renderersDir;
    private final RendererConnections connections;
    private final RendererRoster roster = new RendererRoster();
    private final SupervisorThread thread;
    private final RendererEvents events;
    private final RendererHotDeploy hotDeploy;
    private final HostStops stops;
    private final SpareRenderers spares;
    private final TypeReconcile reconcile;
    private final Launches launches;
    private final ScheduledRestarts scheduled = new ScheduledRestarts();
    private final Restarts restarts;
    private final HostEvents hostEvents;
    private final StartupSettling settling;

    @Activate
    public RendererSupervisor(BundleContext context, SupervisorConfig config,
                              @Reference(service = LoggerFactory.class) Logger log, @Reference RendererConnections connections) {
        this.log = log;
        this.config = config;
        this.connections = connections;
        boolean production = RunMode.production(context);
        Path home = Path.of(Optional.ofNullable(context.getProperty("cordon.home")).orElse(".")).toAbsolutePath();
        this.renderersDir = DataFolder.resolve(context, "renderers");
        long poll = DeploySettings.pollMs(context);
        this.thread = new SupervisorThread(log);
        this.events = new RendererEvents(log);
        RendererLaunch.deleteRecursively(renderersDir);
        Sandbox sandbox = new Sandbox(renderersDir.resolve("sandbox-probe"), log);
        // The probe (a sandboxed shell, tens of ms) runs while the renderer runtime is extracted: the first launch waits for both.
        thread.execute(sandbox::availability);
        RendererLaunch launch = launch(context, config, sandbox);
        this.hotDeploy = new RendererHotDeploy(home, poll, log, () -> List.<DeployTarget>copyOf(roster.hosts.values()), this::restart,
                events::post);
        this.stops = new HostStops(thread, config.stop_timeout_ms(), log);
        RendererHost.Timing timing = new RendererHost.Timing(config.start_timeout_ms(), config.unresponsive_ms(),
                config.unresponsive_kill_ms(), config.drain_timeout_ms(), config.heartbeat_ms(), config.log_lines_per_second());
        SpareRenderers.Start start = new SpareRenderers.Start(launch, connections, this, timing, new PipeFallbacks(log));
        this.spares = new SpareRenderers(roster, thread, stops, start, config, production, log);
        TypeSlots slots = new TypeSlots();
        WaitingLog waiting = new WaitingLog(roster, slots, log);
        this.launches = new Launches(roster, slots, spares, waiting, thread, start, hotDeploy, events, config, production, log);
        this.reconcile = new TypeReconcile(roster, slots, launches, spares, scheduled, stops, waiting, thread, config.max_renderers());
        this.restarts = new Restarts(roster, slots, launches, reconcile, scheduled, stops, thread, log);
        this.hostEvents = new HostEvents(roster, thread, spares, restarts, launch, connections, events,
                new WhitelistPackageCheck(context, log), log);
        thread.every(new Heartbeat(roster, reconcile, spares), config.heartbeat_ms(), config.heartbeat_ms());
        this.settling = new StartupSettling(roster, DeploySettings.dir(context), Math.max(1_000, 2 * poll), thread);
    }

    private RendererLaunch launch(BundleContext context, SupervisorConfig config, Sandbox sandbox) {
        Path runtimeDir = DataFolder.resolve(context, "renderer-runtime");
        ClassDataArchive classData = config.class_data_sharing() ? new ClassDataArchive(runtimeDir.resolve("class-data"),
                RendererLaunch.PER_RENDERER_OPTIONS, log, r -> SupervisorThread.daemon(r, "cordon-class-data").start()) : null;
        return new RendererLaunch(renderersDir, new ChildRuntime(context.getBundle(), runtimeDir),
                sandbox, new ResourceLimits(log), RendererTypeComponent.list(config.jvm_options()), classData);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin eventAdmin) {
        events.eventAdmin(eventAdmin);
    }

    void unsetEventAdmin(EventAdmin eventAdmin) {
        if (events.eventAdmin() == eventAdmin) {
            events.eventAdmin(null);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(RendererListener listener) {
        events.add(listener);
    }

    void removeListener(RendererListener listener) {
        events.remove(listener);
    }

    /** Main is stopping: every renderer gets SHUTDOWN, then SIGKILL after the stop timeout; never longer. */
    @Deactivate
    void deactivate() {
        thread.stop();
        hotDeploy.close();
        scheduled.cancelAll();
        // On the supervisor's thread, after whatever launch (or spare) it was starting: nothing it starts is left behind.
        Promise<List<RendererInfo>> stopped = thread.promise(() -> Promises.all(roster.all().map(stops::stop).toList()));
        try {
            stopped.timeout(config.stop_timeout_ms() + 2_000).getValue();
        } catch (Exception e) {
            log.warn("stopping renderers: {}", e.toString());
        }
        thread.shutdown();
        // Whatever did not stop in time (the thread busy, say) is killed: no renderer outlives its supervisor.
        roster.all().filter(h -> h.state() != RendererState.GONE).forEach(RendererHost::kill);
        events.close();
        RendererLaunch.deleteRecursively(renderersDir);
    }

    // ---- renderer types (from RendererTypeComponent) ----

    void typeChanged(RendererType type) {
        settling.typeChanged();
        RendererType previous = roster.types.put(type.name(), type);
        hotDeploy.typeChanged(type);
        log.info("renderer type {} {}: {} instance(s), {} preload + {} renderer location(s), {} whitelist entr(ies)", type.name(),
                previous == null ? "added" : "changed", type.instances(), type.preload().size(), type.bundles().size(),
                type.trusted() ? "trusted: all" : type.whitelist().size());
        connections.typeChanged(type);
        thread.execute(() -> reconcile.typeChanged(type.name()));
    }

    void typeRemoved(String name) {
        if (roster.types.remove(name) != null) {
            hotDeploy.typeRemoved(name);
            log.info("renderer type {} removed; stopping its renderers", name);
            thread.execute(() -> reconcile.typeRemoved(name));
        }
    }

    /** Completes once start-up has settled; see {@link StartupSettling}. */
    public CompletableFuture<Void> whenSettled() {
        return settling.whenSettled();
    }

    // ---- Renderers API ----

    @Override
    public Promise<RendererInfo> spawn(String typeName) {
        if (!roster.types.containsKey(typeName)) {
            return Promises.failed(new IllegalArgumentException("no renderer type '" + typeName + "'; known types: "
                    + String.join(", ", roster.types.keySet().stream().sorted().toList())));
        }
        return thread.promise(() -> launches.spawn(typeName));
    }

    @Override
    public List<RendererInfo> list() {
        return roster.list();
    }

    @Override
    public Optional<RendererInfo> get(int id) {
        return roster.get(id);
    }

    /**
     * A stop requested is a stop: the renderer is not restarted, and its type does not replace it until edited;
     * one waiting out its crash backoff is stopped too (its restart cancelled).
     */
    @Override
    public Promise<RendererInfo> stop(int id) {
        return thread.promise(() -> {
            if (roster.spares.containsKey(id)) {
                return spares.stop(id);
            }
            Promise<RendererInfo> waiting = roster.hosts.containsKey(id) ? null : restarts.stopWaiting(id);
            return waiting != null ? waiting : withHost(id, restarts::stop);
        });
    }

    @Override
    public Promise<RendererInfo> kill(int id) {
        RendererHost spare = roster.spares.get(id);
        if (spare != null) {
            spare.kill(); // the pool replaces it
            return spare.whenGone();
        }
        return withHost(id, host -> {
            host.kill();
            return host.whenGone();
        });
    }

    /** Stops the renderer and starts it again with the same id and its type's current settings. */
    @Override
    public Promise<RendererInfo> restart(int id) {
        return thread.promise(() -> withHost(id, restarts::restart));
    }

    @Override
    public Promise<String> exec(int id, String command) {
        RendererHost host = roster.hosts.get(id);
        if (host == null) {
            return Promises.failed(unknown(id));
        }
        return host.exec(command, config.exec_timeout_ms(), thread.timer());
    }

    @Override
    public List<RendererType> types() {
        return roster.sortedTypes();
    }

    private Promise<RendererInfo> withHost(int id, Function<RendererHost, Promise<RendererInfo>> action) {
        RendererHost host = roster.hosts.get(id);
        return host == null ? Promises.failed(unknown(id)) : action.apply(host);
    }

    private IllegalArgumentException unknown(int id) {
        return new IllegalArgumentException("no renderer " + id + " is running; 'cordon:renderers' lists them, and why recent ones are gone");
    }

    // ---- the hosts' callbacks (their own threads), as HostEvents handles them ----

    @Override
    public void spare(RendererHost host) {
        hostEvents.spare(host);
    }

    @Override
    public void ready(RendererHost host) {
        hostEvents.ready(host);
    }

    @Override
    public void health(RendererHost host, Messages.Health before) {
        hostEvents.health(host, before);
    }

    @Override
    public void responsive(RendererHost host, boolean responsive) {
        hostEvents.responsive(host, responsive);
    }

    @Override
    public void gone(RendererHost host, GoneReason reason, int exitCode, String detail) {
        hostEvents.gone(host, reason, exitCode, detail);
    }
}
