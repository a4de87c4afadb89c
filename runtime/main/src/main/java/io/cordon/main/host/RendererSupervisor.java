package io.cordon.main.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererEvent;
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
import io.cordon.main.sandbox.SandboxedCommand;

/**
 * Spawns and supervises every renderer of the main framework. Every decision runs on one thread (the
 * supervisor's scheduler), so edits, kills, crashes, stops and limit changes never race: each type's
 * renderers converge to its {@code instances} ({@link TypeSlots}), a renderer's own events mean what its
 * {@link RendererLifecycle} says, restarts follow the type's policy with backoff, and every refusal or
 * restart given up is one log line that says why and what to do.
 *
 * <p>Spare renderers ({@code spare.renderers}, {@link SparePool}) are processes started ahead, without a type:
 * a launch whose type has a waiting spare's {@link SpareKey} adopts it instead of starting a JVM. Spares are
 * kept apart from the renderers (not in {@code hosts}): no type counts them, hot deploy never reaches them, and
 * a renderer that needs their room under {@code max.renderers} gets it.
 */
@Component(service = {Renderers.class, RendererSupervisor.class}, immediate = true, configurationPid = "io.cordon.supervisor")
@Designate(ocd = SupervisorConfig.class)
public final class RendererSupervisor implements Renderers, RendererHost.Callbacks {

    /** How long start-up waits for deploy/'s type files to become types before it settles anyway. */
    private static final long SETTLE_GIVE_UP_MS = 10_000;
    /** Gone renderers {@code cordon:renderers} still lists, with their reason. */
    private static final int RECENTLY_GONE = 16;

    private final Logger log;
    private final SupervisorConfig config;
    private final Path renderersDir;
    private final RendererConnections connections;
    private final boolean production;
    private final RendererLaunch launch;
    private final RendererHost.Timing timing;
    private final long settleQuietMs;
    private final Path deployDir;
    /** When the supervisor started, then when a type last changed: settling waits for quiet after it. */
    private volatile long lastChangeNanos = System.nanoTime();
    private final Map<String, RendererType> types = new ConcurrentHashMap<>();
    private final Map<Integer, RendererHost> hosts = new ConcurrentHashMap<>();
    /** Spare renderers by id, STARTING or SPARE; one leaves when a type adopts it or main stops it. */
    private final Map<Integer, RendererHost> spares = new ConcurrentHashMap<>();
    private final Map<Integer, Deferred<RendererInfo>> readyWaiters = new ConcurrentHashMap<>();
    private final Map<Integer, RendererInfo> recentlyGone = new LinkedHashMap<>();
    /** Owned by the scheduler thread. */
    private final TypeSlots slots = new TypeSlots();
    /** Owned by the scheduler thread. */
    private final SparePool pool = new SparePool();
    private final Map<Integer, ScheduledFuture<?>> scheduledRestarts = new ConcurrentHashMap<>();
    private final Set<String> waitingLogged = ConcurrentHashMap.newKeySet();
    /** Types whose fallback from shared memory to the pipe was logged (a few names: one per type). */
    private final Set<String> pipeTypesLogged = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final RendererEvents events;
    private final ScheduledFuture<?> settleCheck;
    private final RendererHotDeploy hotDeploy;
    private final WhitelistPackageCheck whitelistCheck;
    private volatile int nextId;
    private volatile boolean active = true;

    @Activate
    public RendererSupervisor(BundleContext context, SupervisorConfig config,
                              @Reference(service = LoggerFactory.class) Logger log, @Reference RendererConnections connections) {
        this.log = log;
        this.config = config;
        this.connections = connections;
        this.production = RunMode.production(context);
        Path home = Path.of(Optional.ofNullable(context.getProperty("cordon.home")).orElse(".")).toAbsolutePath();
        String data = context.getProperty("cordon.data");
        Path dataDir = data != null ? Path.of(data) : context.getDataFile("").toPath();
        this.renderersDir = dataDir.resolve("renderers");
        long poll = DeploySettings.pollMs(context);
        this.settleQuietMs = Math.max(1_000, 2 * poll);
        this.deployDir = DeploySettings.dir(context);
        this.timing = new RendererHost.Timing(config.start_timeout_ms(), config.unresponsive_ms(), config.unresponsive_kill_ms(),
                config.drain_timeout_ms(), config.heartbeat_ms(), config.log_lines_per_second());
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "cordon-supervisor"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.events = new RendererEvents(log);
        deleteRecursively(renderersDir);
        Sandbox sandbox = new Sandbox(renderersDir.resolve("sandbox-probe"), log);
        Path runtimeDir = dataDir.resolve("renderer-runtime");
        ClassDataArchive classData = config.class_data_sharing() ? new ClassDataArchive(runtimeDir.resolve("class-data"),
                RendererLaunch.PER_RENDERER_OPTIONS, log, r -> daemon(r, "cordon-class-data").start()) : null;
        this.launch = new RendererLaunch(renderersDir, new ChildRuntime(context.getBundle(), runtimeDir),
                sandbox, new ResourceLimits(log), RendererTypeComponent.list(config.jvm_options()), classData);
        scheduler.execute(sandbox::availability);
        scheduler.scheduleWithFixedDelay(this::tick, config.heartbeat_ms(), config.heartbeat_ms(), TimeUnit.MILLISECONDS);
        this.settleCheck = scheduler.scheduleWithFixedDelay(this::checkSettled, 100, 100, TimeUnit.MILLISECONDS);
        this.whitelistCheck = new WhitelistPackageCheck(context, log);
        this.hotDeploy = new RendererHotDeploy(home, poll, log, () -> List.<DeployTarget>copyOf(hosts.values()), this::restart, events::post);
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
        active = false;
        hotDeploy.close();
        scheduledRestarts.values().forEach(f -> f.cancel(false));
        // On the scheduler, after whatever launch (or spare) it was starting: nothing it starts is left behind.
        Promise<List<RendererInfo>> stopped = onSchedulerPromise(() -> Promises.all(
                Stream.concat(hosts.values().stream(), spares.values().stream()).map(this::stopHost).toList()));
        try {
            stopped.timeout(config.stop_timeout_ms() + 2_000).getValue();
        } catch (Exception e) {
            log.warn("stopping renderers: {}", e.toString());
        }
        scheduler.shutdownNow();
        // Whatever did not stop in time (the scheduler busy, say) is killed: no renderer outlives its supervisor.
        Stream.concat(hosts.values().stream(), spares.values().stream()).filter(h -> h.state() != RendererState.GONE)
                .forEach(RendererHost::kill);
        events.close();
        deleteRecursively(renderersDir);
    }

    // ---- renderer types (from RendererTypeComponent) ----

    void typeChanged(RendererType type) {
        lastChangeNanos = System.nanoTime();
        RendererType previous = types.put(type.name(), type);
        hotDeploy.typeChanged(type);
        log.info("renderer type {} {}: {} instance(s), {} preload + {} renderer location(s), {} whitelist entr(ies)", type.name(),
                previous == null ? "added" : "changed", type.instances(), type.preload().size(), type.bundles().size(),
                type.trusted() ? "trusted: all" : type.whitelist().size());
        connections.typeChanged(type);
        onScheduler(() -> {
            slots.typeEdited(type.name());
            pool.forgive();
            reconcile(type.name());
            reconcileSpares();
        });
    }

    void typeRemoved(String name) {
        if (types.remove(name) != null) {
            hotDeploy.typeRemoved(name);
            log.info("renderer type {} removed; stopping its renderers", name);
            onScheduler(() -> {
                slots.typeRemoved(name).forEach(this::forget);
                reconcileSpares();
            });
        }
    }

    /** Stops or cancels what a slot no type wants any more. */
    private void forget(TypeSlots.Slot slot) {
        slots.remove(slot.id);
        Optional.ofNullable(scheduledRestarts.remove(slot.id)).ifPresent(f -> f.cancel(false));
        Optional.ofNullable(hosts.get(slot.id)).ifPresent(this::stopHost);
    }

    /** Makes the type's renderers match its instances, as far as max.renderers allows; runs on the scheduler. */
    private void reconcile(String name) {
        RendererType type = types.get(name);
        if (type == null || !active) {
            return;
        }
        TypeSlots.Plan plan = slots.reconcile(name, type.instances(), config.max_renderers() - hosts.size());
        if (plan.idle()) {
            return;
        }
        plan.forget().forEach(slots::remove);
        plan.cancelRestart().forEach(id -> forget(slots.get(id)));
        plan.stop().forEach(id -> forget(slots.get(id)));
        plan.startWaiting().forEach(id -> launch(type, slots.get(id)));
        for (int i = 0; i < plan.startNew(); i++) {
            launch(type, slots.add(++nextId, name, true, TypeSlots.State.LIVE));
        }
        for (int i = 0; i < plan.waitNew(); i++) {
            slots.add(++nextId, name, true, TypeSlots.State.WAITING);
        }
        logWaiting(name);
    }

    private void logWaiting(String name) {
        boolean waiting = slots.typesWaiting().contains(name);
        if (waiting && waitingLogged.add(name)) {
            log.warn("renderer type {}: not all {} instance(s) are running because {} renderers are alive (max.renderers); "
                    + "they start when renderers stop, or raise max.renderers in io.cordon.supervisor", name,
                    types.get(name).instances(), hosts.size());
        } else if (!waiting && waitingLogged.remove(name)) {
            log.info("renderer type {}: every instance is running again", name);
        }
    }

    // ---- Renderers API ----

    @Override
    public Promise<RendererInfo> spawn(String typeName) {
        if (!types.containsKey(typeName)) {
            return Promises.failed(new IllegalArgumentException("no renderer type '" + typeName + "'; known types: "
                    + String.join(", ", types.keySet().stream().sorted().toList())));
        }
        return onSchedulerPromise(() -> {
            RendererType type = types.get(typeName);
            if (type == null) {
                return Promises.failed(new IllegalArgumentException("renderer type '" + typeName + "' was just removed"));
            }
            return launch(type, slots.add(++nextId, typeName, false, TypeSlots.State.LIVE));
        });
    }

    /** Launches the slot's renderer; resolves when it is READY. On the scheduler thread. */
    private Promise<RendererInfo> launch(RendererType type, TypeSlots.Slot slot) {
        int id = slot.id;
        if (type.trusted() && production) {
            log.error("renderer type {} is trusted (every remotable main service exported to it), which production mode refuses; "
                    + "remove trusted=true from the type, or run the launcher with --dev", type.name());
            retire(slot);
            return Promises.failed(new IllegalStateException("renderer type " + type.name()
                    + " is trusted, which production mode refuses; remove trusted=true or run with --dev"));
        }
        if (hosts.size() >= config.max_renderers()) {
            return refusedForRoom(type, slot);
        }
        if (type.trusted()) {
            log.warn("renderer {} of type {} is TRUSTED: every remotable main service is exported to it, whitelist or not "
                    + "(development only)", id, type.name());
        }
        SpareKey key = SpareKey.of(type);
        pool.used(key);
        Deferred<RendererInfo> ready = new Deferred<>();
        Optional<RendererHost> spare = adoptSpare(key, type, slot, ready);
        if (spare.isPresent()) {
            return adopted(spare.get(), type, slot, ready);
        }
        makeRoom();
        RendererHost host = new RendererHost(id, type, slot.restarts, launch.storage(id), log, this, timing, false);
        try {
            Path storage = launch.prepare(id);
            SandboxedCommand command = launch.command(type, id, "renderer " + id + " (" + type.name() + ")", storage);
            host.start(command, launch.rings(type, command.level(), storage, why -> pipeInstead(type, why)));
            registered(host, slot, ready);
            host.run(launch.frameworkProperties(type, storage, connections.rendererProperties()), launch.runtimeBundles(),
                    RendererLaunch.identity(id, type), hotDeploy.spawning(host));
            starting(host);
        } catch (IOException | RuntimeException e) {
            notLaunched(host, type, slot, ready, e);
        }
        return ready.getPromise();
    }

    /** The renderer is its slot's, main's RSA knows it, and its READY is awaited. */
    private void registered(RendererHost host, TypeSlots.Slot slot, Deferred<RendererInfo> ready) {
        slot.state = TypeSlots.State.LIVE;
        hosts.put(slot.id, host);
        readyWaiters.put(slot.id, ready);
        synchronized (recentlyGone) {
            recentlyGone.remove(slot.id);
        }
        connections.attach(host);
    }

    private void starting(RendererHost host) {
        events.publish(RendererEvent.Kind.STARTING, host.info(), "");
        scheduler.schedule(host.startTimeout(), config.start_timeout_ms(), TimeUnit.MILLISECONDS);
    }

    private void notLaunched(RendererHost host, RendererType type, TypeSlots.Slot slot, Deferred<RendererInfo> ready, Exception e) {
        int id = slot.id;
        log.error("renderer {} ({}) could not be launched: {}; not retried until the type is edited", id, type.name(), e.getMessage());
        if (hosts.remove(id, host)) {
            connections.detach(host, "not launched");
            host.kill();
        }
        readyWaiters.remove(id);
        retire(slot);
        deleteRecursively(host.storage());
        ready.fail(new IllegalStateException("renderer of type " + type.name() + " could not be launched: " + e.getMessage(), e));
    }

    /** A waiting spare of {@code key}, now the slot's (registered) renderer; empty when there is none (or it just died). */
    private Optional<RendererHost> adoptSpare(SpareKey key, RendererType type, TypeSlots.Slot slot, Deferred<RendererInfo> ready) {
        IntPredicate waiting = id -> Optional.ofNullable(spares.get(id)).filter(h -> h.state() == RendererState.SPARE).isPresent();
        for (Optional<Integer> id = pool.take(key, waiting); id.isPresent(); id = pool.take(key, waiting)) {
            RendererHost spare = spares.remove(id.get());
            if (spare != null && spare.adopt(slot.id, type, slot.restarts, () -> registered(spare, slot, ready))) {
                return Optional.of(spare);
            }
        }
        return Optional.empty();
    }

    /** Gives the adopted spare its identity and its type's bundles; a new spare is started once nothing is starting. */
    private Promise<RendererInfo> adopted(RendererHost host, RendererType type, TypeSlots.Slot slot, Deferred<RendererInfo> ready) {
        try {
            host.feedAdopted(RendererLaunch.identity(slot.id, type), hotDeploy.spawning(host));
            starting(host);
        } catch (IOException | RuntimeException e) {
            notLaunched(host, type, slot, ready, e);
        }
        return ready.getPromise();
    }

    /** A renderer is about to start: if renderers and spares fill max.renderers, a spare makes room (the newest). */
    private void makeRoom() {
        while (hosts.size() + spares.size() >= config.max_renderers()) {
            Optional<Integer> id = pool.evictable();
            if (id.isEmpty()) {
                return;
            }
            discardSpare(id.get(), "a renderer needs its room under max.renderers");
        }
    }

    // ---- spare renderers (on the scheduler) ----

    /** Starts and stops spares as the pool decides for the types in use. */
    private void reconcileSpares() {
        if (!active) {
            return;
        }
        List<SpareKey> keys = types.values().stream().filter(t -> !(t.trusted() && production))
                .sorted(Comparator.comparing(RendererType::name)).map(SpareKey::of).distinct().toList();
        boolean busy = hosts.values().stream().anyMatch(h -> h.state() == RendererState.STARTING);
        SparePool.Plan plan = pool.plan(keys, config.spare_renderers(), config.max_renderers() - hosts.size() - spares.size(), busy);
        plan.stop().forEach(id -> discardSpare(id, "no renderer type has its settings any more"));
        plan.start().forEach(this::startSpare);
    }

    private void startSpare(SpareKey key) {
        Optional<RendererType> template = types.values().stream().filter(t -> SpareKey.of(t).equals(key)).findFirst();
        if (template.isEmpty()) {
            return;
        }
        RendererType type = template.get();
        int id = ++nextId;
        RendererHost host = new RendererHost(id, type, 0, launch.storage(id), log, this, timing, true);
        try {
            Path storage = launch.prepare(id);
            SandboxedCommand command = launch.command(type, id, "spare renderer " + id, storage);
            host.start(command, launch.rings(type, command.level(), storage, why -> pipeInstead(type, why)));
            spares.put(id, host);
            pool.started(id, key);
            host.runSpare(launch.frameworkProperties(type, storage, connections.rendererProperties()), launch.runtimeBundles());
            scheduler.schedule(host.startTimeout(), config.start_timeout_ms(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            log.warn("spare renderer {} could not be started: {}", id, e.getMessage());
            spares.remove(id, host);
            host.kill();
            if (pool.died(id)) {
                givenUp(type);
            }
            deleteRecursively(host.storage());
        }
    }

    /** Main stops the spare: it leaves the pool and the count at once. */
    private void discardSpare(int id, String why) {
        pool.discard(id);
        Optional.ofNullable(spares.remove(id)).ifPresent(host -> {
            log.debug("stopping spare renderer {}: {}", id, why);
            stopHost(host);
        });
    }

    private void givenUp(RendererType type) {
        log.warn("spare renderers with the settings of type {} died {} times in a row; none is started for them until a "
                + "renderer type changes (its renderers start without a spare meanwhile)", type.name(), SparePool.GIVE_UP);
    }

    /** A type that wants shared memory gets the pipe for this reason; said once per type. */
    private void pipeInstead(RendererType type, String why) {
        if (pipeTypesLogged.add(type.name())) {
            log.warn("renderers of type {} use the pipe, not shared memory (transport=shm): {}", type.name(), why);
        }
    }

    /** At max.renderers: a type's renderer waits for room; one spawned by hand is refused. */
    private Promise<RendererInfo> refusedForRoom(RendererType type, TypeSlots.Slot slot) {
        String why = "already " + hosts.size() + " renderers alive (max.renderers = " + config.max_renderers() + ")";
        if (slot.managed) {
            slot.state = TypeSlots.State.WAITING;
            logWaiting(type.name());
            return Promises.failed(new IllegalStateException("renderer " + slot.id + " (" + type.name() + ") waits for room: " + why
                    + "; it starts when renderers stop"));
        }
        slots.remove(slot.id);
        String message = (slot.restarts > 0 ? "restart of renderer " + slot.id + " (" + type.name() + ") given up"
                : "renderer of type " + type.name() + " not spawned") + ": " + why + "; stop a renderer or raise max.renderers in io.cordon.supervisor";
        log.warn("{}", message);
        return Promises.failed(new IllegalStateException(message));
    }

    private void retire(TypeSlots.Slot slot) {
        if (slot.managed) {
            slot.state = TypeSlots.State.RETIRED;
        } else {
            slots.remove(slot.id);
        }
    }

    @Override
    public List<RendererInfo> list() {
        Map<Integer, RendererInfo> all = new java.util.TreeMap<>();
        synchronized (recentlyGone) {
            all.putAll(recentlyGone);
        }
        hosts.values().forEach(h -> all.put(h.id(), h.info()));
        spares.values().forEach(h -> all.put(h.id(), h.info()));
        return List.copyOf(all.values());
    }

    @Override
    public Optional<RendererInfo> get(int id) {
        RendererHost host = Optional.ofNullable(hosts.get(id)).orElse(spares.get(id));
        if (host != null) {
            return Optional.of(host.info());
        }
        synchronized (recentlyGone) {
            return Optional.ofNullable(recentlyGone.get(id));
        }
    }

    /** A stop requested is a stop: the renderer is not restarted, and its type does not replace it until edited. */
    @Override
    public Promise<RendererInfo> stop(int id) {
        return onSchedulerPromise(() -> spares.containsKey(id) ? stopSpare(id) : withHost(id, host -> {
            Optional.ofNullable(slots.get(id)).ifPresent(this::retire);
            return stopHost(host);
        }));
    }

    /** cordon:stop of a spare: it goes, and the pool starts another. */
    private Promise<RendererInfo> stopSpare(int id) {
        RendererHost spare = spares.get(id);
        discardSpare(id, "cordon:stop");
        return spare.whenGone();
    }

    @Override
    public Promise<RendererInfo> kill(int id) {
        RendererHost spare = spares.get(id);
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
        return onSchedulerPromise(() -> withHost(id, host -> {
            TypeSlots.Slot slot = slots.get(id);
            if (slot == null) {
                return Promises.failed(new IllegalStateException("renderer " + id + " is being stopped"));
            }
            slot.state = TypeSlots.State.RESTARTING;
            Deferred<RendererInfo> ready = new Deferred<>();
            stopHost(host).onResolve(() -> onScheduler(() -> ready.resolveWith(relaunch(slot, "restart"))));
            return ready.getPromise();
        }));
    }

    /** Starts a RESTARTING slot again, unless reconcile or a stop dropped it meanwhile. */
    private Promise<RendererInfo> relaunch(TypeSlots.Slot slot, String why) {
        scheduledRestarts.remove(slot.id);
        RendererType type = types.get(slot.type);
        if (slots.get(slot.id) != slot || slot.state != TypeSlots.State.RESTARTING || type == null || !active) {
            return Promises.failed(new IllegalStateException("renderer " + slot.id + " was not restarted (" + why
                    + "): it was stopped, or its type no longer wants it"));
        }
        slot.restarts++;
        return launch(type, slot);
    }

    @Override
    public Promise<String> exec(int id, String command) {
        RendererHost host = hosts.get(id);
        if (host == null) {
            return Promises.failed(unknown(id));
        }
        return host.exec(command, config.exec_timeout_ms(), scheduler);
    }

    @Override
    public List<RendererType> types() {
        return types.values().stream().sorted(Comparator.comparing(RendererType::name)).toList();
    }

    private Promise<RendererInfo> withHost(int id, java.util.function.Function<RendererHost, Promise<RendererInfo>> action) {
        RendererHost host = hosts.get(id);
        return host == null ? Promises.failed(unknown(id)) : action.apply(host);
    }

    private IllegalArgumentException unknown(int id) {
        return new IllegalArgumentException("no renderer " + id + " is running; 'cordon:renderers' lists them, and why recent ones are gone");
    }

    private Promise<RendererInfo> stopHost(RendererHost host) {
        if (host.state() != RendererState.GONE) {
            host.stop();
            long timeout = config.stop_timeout_ms();
            try {
                scheduler.schedule(() -> {
                    if (host.state() != RendererState.GONE) {
                        log.warn("renderer {} ({}) did not stop within {} ms; killing it", host.id(), host.type().name(), timeout);
                        host.kill();
                    }
                }, timeout, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                host.kill(); // main is stopping and its scheduler is gone: no waiting
            }
        }
        return host.whenGone();
    }

    // ---- callbacks from hosts (their own threads) ----

    @Override
    public void spare(RendererHost host) {
        log.debug("spare renderer {} waits for a type, pid {}; start-up: {}", host.id(), host.pid(), host.startup());
    }

    @Override
    public void ready(RendererHost host) {
        log.info("renderer {} ({}) READY, pid {}; start-up: {}", host.id(), host.type().name(), host.pid(), host.startup());
        onScheduler(this::reconcileSpares);
        events.publish(RendererEvent.Kind.READY, host.info(), host.startup());
        health(host, Messages.Health.OK);
        Optional.ofNullable(readyWaiters.remove(host.id())).ifPresent(d -> d.resolve(host.info()));
        whitelistCheck.ready(host.type());
    }

    @Override
    public void health(RendererHost host, Messages.Health before) {
        HealthChanges.logged(log, host.id(), host.type().name(), before, host.health())
                .ifPresent(change -> events.publish(change.kind(), host.info(), change.detail()));
    }

    @Override
    public void responsive(RendererHost host, boolean responsive) {
        log.warn("renderer {} ({}) is {}", host.id(), host.type().name(), responsive ? "responsive again" : "UNRESPONSIVE");
        events.publish(responsive ? RendererEvent.Kind.RESPONSIVE : RendererEvent.Kind.UNRESPONSIVE, host.info(), "");
    }

    @Override
    public void gone(RendererHost host, GoneReason reason, int exitCode, String detail) {
        if (host.lifecycle().spare()) {
            spareGone(host, reason, detail);
            return;
        }
        int id = host.id();
        connections.detach(host, reason.label());
        hosts.remove(id, host);
        launch.gone(host.storage());
        deleteRecursively(host.storage());
        RendererInfo info = host.info();
        synchronized (recentlyGone) {
            recentlyGone.remove(id);
            recentlyGone.put(id, info);
            if (recentlyGone.size() > RECENTLY_GONE) {
                recentlyGone.remove(recentlyGone.keySet().iterator().next());
            }
        }
        String message = "renderer {} ({}) GONE: {} ({})";
        if (host.lifecycle().expected()) {
            log.info(message, id, host.type().name(), reason.label(), detail);
        } else {
            log.warn(message, id, host.type().name(), reason.label(), detail);
        }
        events.publish(RendererEvent.Kind.GONE, info, detail);
        Optional.ofNullable(readyWaiters.remove(id)).ifPresent(d -> d.fail(
                new IllegalStateException("renderer " + id + " (" + host.type().name() + ") " + reason.label() + ": " + detail)));
        onScheduler(() -> afterGone(host, reason));
    }

    /** A spare exited: asked to (it left the pool then) or on its own, which the pool counts. */
    private void spareGone(RendererHost host, GoneReason reason, String detail) {
        spares.remove(host.id(), host);
        launch.gone(host.storage());
        deleteRecursively(host.storage());
        onScheduler(() -> {
            if (!active || !pool.contains(host.id())) {
                log.debug("spare renderer {} GONE: {} ({})", host.id(), reason.label(), detail);
                return;
            }
            log.warn("spare renderer {} GONE: {} ({}); another is started", host.id(), reason.label(), detail);
            if (pool.died(host.id())) {
                givenUp(host.type());
            }
            reconcileSpares();
        });
    }

    /** Restarts the renderer if its policy says so, else retires its slot; then the type is reconciled. */
    private void afterGone(RendererHost host, GoneReason reason) {
        TypeSlots.Slot slot = slots.get(host.id());
        if (slot == null || slot.state != TypeSlots.State.LIVE) {
            return; // stopped and forgotten, or a restart is already arranged
        }
        RendererType type = types.get(slot.type);
        if (type != null && active && host.lifecycle().restartable(type.restart())) {
            slot.crashes = RestartBackoff.nextCrashCount(slot.crashes, host.readyForMs());
            long delay = RestartBackoff.delay(type.backoffMs(), type.backoffMaxMs(), slot.crashes - 1);
            log.info("renderer {} ({}) restarts in {} ms (policy on-crash, crash #{})", slot.id, type.name(), delay, slot.crashes);
            slot.state = TypeSlots.State.RESTARTING;
            scheduledRestarts.put(slot.id, scheduler.schedule(() -> relaunch(slot, "on-crash"), delay, TimeUnit.MILLISECONDS));
        } else {
            if (!host.lifecycle().expected() && type != null && active) {
                log.warn("renderer {} ({}) is not restarted ({}{}); {}", slot.id, slot.type, reason.label(),
                        type.restart() == RendererType.RestartPolicy.NEVER ? ", restart=never" : "",
                        slot.managed ? "its type runs one fewer until its .cfg is edited; 'cordon:spawn " + slot.type + "' starts another now"
                                : "'cordon:spawn " + slot.type + "' starts another");
            }
            retire(slot);
        }
        reconcile(slot.type);
    }

    // ---- heartbeats, convergence, settling ----

    private void tick() {
        Stream.concat(hosts.values().stream(), spares.values().stream()).forEach(host -> {
            host.heartbeat();
            host.flushDroppedLog();
        });
        slots.orphans(types.keySet()).forEach(this::forget);
        types.keySet().forEach(this::reconcile);
        reconcileSpares();
    }

    /**
     * Settled: every renderer type file of the deploy folder has become a type (FileInstall and ConfigAdmin
     * take their time under load), or a long quiet period passed (a file that is not a valid type); no
     * type has changed for a short quiet period; no renderer is STARTING.
     */
    private void checkSettled() {
        long quietMs = (System.nanoTime() - lastChangeNanos) / 1_000_000;
        boolean typesIn = types.size() >= typeFiles() || quietMs >= SETTLE_GIVE_UP_MS;
        if (!settled.isDone() && typesIn && quietMs >= settleQuietMs
                && hosts.values().stream().noneMatch(h -> h.state() == RendererState.STARTING)) {
            settled.complete(null);
            settleCheck.cancel(false);
        }
    }

    private long typeFiles() {
        try (Stream<Path> files = Files.list(deployDir)) {
            return files.filter(f -> f.getFileName().toString().matches(Pattern.quote(RendererType.FACTORY_PID) + "-.+\\.cfg")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Completes once start-up has settled; see {@link #checkSettled()}. */
    public CompletableFuture<Void> whenSettled() {
        return settled;
    }

    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("renderer supervisor: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // main is stopping
        }
    }

    private <T> Promise<T> onSchedulerPromise(Supplier<Promise<T>> action) {
        Deferred<T> result = new Deferred<>();
        try {
            scheduler.execute(() -> {
                try {
                    result.resolveWith(action.get());
                } catch (RuntimeException e) {
                    result.fail(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.fail(new IllegalStateException("Cordon is stopping"));
        }
        return result.getPromise();
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
