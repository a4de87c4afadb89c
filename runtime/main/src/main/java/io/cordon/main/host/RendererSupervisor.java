package io.cordon.main.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
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
import io.cordon.main.rsa.RendererConnections;
import io.cordon.main.sandbox.Sandbox;
import io.cordon.main.sandbox.SandboxedCommand;

/**
 * Spawns and supervises every renderer of the main framework: keeps each type's instance count,
 * applies the restart policy with backoff, sends heartbeats, delivers events, and stops every
 * renderer when main stops.
 */
@Component(service = {Renderers.class, RendererSupervisor.class}, immediate = true, configurationPid = "io.cordon.supervisor")
@Designate(ocd = SupervisorConfig.class)
public final class RendererSupervisor implements Renderers, RendererHost.Callbacks {

    private static final int EVENT_QUEUE = 1024;
    private static final String TMPDIR_OPTION = "-Djava.io.tmpdir=";
    private static final String ID_OPTION = "-Dcordon.renderer.id=";
    /** The renderer JVM options that differ between renderers of one command line (class-data sharing ignores them). */
    private static final List<String> PER_RENDERER_OPTIONS = List.of(TMPDIR_OPTION, ID_OPTION);

    private final Logger log;
    private final SupervisorConfig config;
    private final Path home;
    private final Path renderersDir;
    private final ChildRuntime runtime;
    private final ClassDataArchive classData;
    private final RendererConnections connections;
    private final boolean production;
    private final Sandbox sandbox;
    private final long settleQuietMs;
    private final long activatedNanos = System.nanoTime();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<String, RendererType> types = new ConcurrentHashMap<>();
    private final Map<Integer, RendererHost> hosts = new ConcurrentHashMap<>();
    /** Renderers a type keeps running (as opposed to ones spawned by hand); they count toward instances. */
    private final Map<Integer, String> managed = new ConcurrentHashMap<>();
    private final Map<Integer, Deferred<RendererInfo>> readyWaiters = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> crashCounts = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> pendingRestarts = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor events;
    private final List<RendererListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> settleCheck;
    private final RendererHotDeploy hotDeploy;
    private volatile EventAdmin eventAdmin;
    private volatile boolean active = true;

    @Activate
    public RendererSupervisor(BundleContext context, SupervisorConfig config,
                              @Reference(service = LoggerFactory.class) Logger log, @Reference RendererConnections connections) {
        this.log = log;
        this.config = config;
        this.connections = connections;
        this.production = !"dev".equals(context.getProperty(io.cordon.api.CordonRuntime.MODE_PROPERTY));
        this.home = Path.of(Optional.ofNullable(context.getProperty("cordon.home")).orElse(".")).toAbsolutePath();
        String data = context.getProperty("cordon.data");
        Path dataDir = data != null ? Path.of(data) : context.getDataFile("").toPath();
        this.renderersDir = dataDir.resolve("renderers");
        this.runtime = new ChildRuntime(context.getBundle(), dataDir.resolve("renderer-runtime"));
        long poll = parseLong(context.getProperty("felix.fileinstall.poll"), 2_000);
        this.settleQuietMs = Math.max(1_000, 2 * poll);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "cordon-supervisor"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.classData = new ClassDataArchive(dataDir.resolve("renderer-runtime").resolve("class-data"), PER_RENDERER_OPTIONS, log,
                r -> daemon(r, "cordon-class-data-check").start());
        this.events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(EVENT_QUEUE),
                r -> daemon(r, "cordon-renderer-events"), (r, e) -> log.warn("renderer event queue full ({}); an event was dropped", EVENT_QUEUE));
        deleteRecursively(renderersDir);
        this.sandbox = new Sandbox(renderersDir.resolve("sandbox-probe"), log);
        scheduler.execute(sandbox::availability);
        scheduler.scheduleWithFixedDelay(this::tick, config.heartbeat_ms(), config.heartbeat_ms(), TimeUnit.MILLISECONDS);
        this.settleCheck = scheduler.scheduleWithFixedDelay(this::checkSettled, 100, 100, TimeUnit.MILLISECONDS);
        this.hotDeploy = new RendererHotDeploy(home, poll, log, () -> List.copyOf(hosts.values()), this::restart,
                event -> Optional.ofNullable(eventAdmin).ifPresent(admin -> admin.postEvent(event)));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    void unsetEventAdmin(EventAdmin eventAdmin) {
        if (this.eventAdmin == eventAdmin) {
            this.eventAdmin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(RendererListener listener) {
        listeners.add(listener);
    }

    void removeListener(RendererListener listener) {
        listeners.remove(listener);
    }

    /** Main is stopping: every renderer gets SHUTDOWN, then SIGKILL after the stop timeout. */
    @Deactivate
    void deactivate() {
        active = false;
        hotDeploy.close();
        List<Promise<RendererInfo>> stopping = new ArrayList<>();
        for (RendererHost host : hosts.values()) {
            stopping.add(stopHost(host));
        }
        try {
            Promises.all(stopping).getValue();
        } catch (Exception e) {
            log.warn("stopping renderers: {}", e.toString());
        }
        scheduler.shutdownNow();
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteRecursively(renderersDir);
    }

    // ---- renderer types (from RendererTypeComponent) ----

    void typeChanged(RendererType type) {
        RendererType previous = types.put(type.name(), type);
        hotDeploy.typeChanged(type);
        log.info("renderer type {} {}: {} instance(s), {} preload + {} renderer location(s), {} whitelist entr(ies)", type.name(),
                previous == null ? "added" : "changed", type.instances(), type.preload().size(), type.bundles().size(),
                type.trusted() ? "trusted: all" : type.whitelist().size());
        connections.typeChanged(type);
        scheduler.execute(() -> reconcile(type.name()));
    }

    void typeRemoved(String name) {
        if (types.remove(name) != null) {
            hotDeploy.typeRemoved(name);
            log.info("renderer type {} removed; stopping its renderers", name);
            hosts.values().stream().filter(h -> h.type().name().equals(name)).forEach(this::stopHost);
        }
    }

    /** Brings the number of renderers a type keeps running to its configured instance count. */
    private void reconcile(String name) {
        RendererType type = types.get(name);
        if (type == null || !active) {
            return;
        }
        List<Integer> running = managed.entrySet().stream().filter(e -> e.getValue().equals(name))
                .map(Map.Entry::getKey).sorted().toList();
        for (int i = running.size(); i < type.instances(); i++) {
            start(type, nextId.incrementAndGet(), 0, true);
        }
        for (int i = running.size() - 1; i >= type.instances(); i--) {
            int id = running.get(i);
            managed.remove(id);
            Optional.ofNullable(hosts.get(id)).ifPresent(this::stopHost);
        }
    }

    // ---- Renderers API ----

    @Override
    public Promise<RendererInfo> spawn(String typeName) {
        RendererType type = types.get(typeName);
        if (type == null) {
            return Promises.failed(new IllegalArgumentException("no renderer type '" + typeName + "'; known types: "
                    + String.join(", ", types.keySet().stream().sorted().toList())));
        }
        return start(type, nextId.incrementAndGet(), 0, false);
    }

    private Promise<RendererInfo> start(RendererType type, int id, int restarts, boolean keep) {
        Deferred<RendererInfo> ready = new Deferred<>();
        if (!active) {
            ready.fail(new IllegalStateException("Cordon is stopping"));
            return ready.getPromise();
        }
        if (type.trusted() && production) {
            log.error("renderer type {} is trusted (every remotable main service exported to it), which production mode refuses; "
                    + "remove trusted=true from the type, or run the launcher with --dev", type.name());
            ready.fail(new IllegalStateException("renderer type " + type.name() + " is trusted, which production mode refuses; "
                    + "remove trusted=true or run with --dev"));
            return ready.getPromise();
        }
        if (type.trusted()) {
            log.warn("renderer {} of type {} is TRUSTED: every remotable main service is exported to it, whitelist or not "
                    + "(development only)", id, type.name());
        }
        if (hosts.size() >= config.max_renderers()) {
            ready.fail(new IllegalStateException("already " + hosts.size() + " renderers running (max.renderers = "
                    + config.max_renderers() + "); stop one or raise the limit in io.cordon.supervisor"));
            return ready.getPromise();
        }
        Path storage = renderersDir.resolve(Integer.toString(id));
        RendererHost host = new RendererHost(id, type, restarts, storage, log, this);
        if (keep) {
            managed.put(id, type.name());
        }
        hosts.put(id, host);
        readyWaiters.put(id, ready);
        try {
            deleteRecursively(storage);
            Files.createDirectories(storage.resolve("tmp"));
            SandboxedCommand command = sandbox.apply("renderer " + id + " (" + type.name() + ")", type.sandbox(), storage,
                    command(type, id, storage));
            List<Messages.BundleMessage> bundles = new ArrayList<>(runtime.bundles());
            bundles.addAll(hotDeploy.spawning(host));
            connections.attach(host);
            host.launch(command, frameworkProperties(type, id, storage), bundles);
            publish(RendererEvent.Kind.STARTING, host, "");
            long timeout = config.start_timeout_ms();
            scheduler.schedule(() -> host.launchTimedOut(timeout), timeout, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            log.error("renderer {} ({}) could not be launched: {}", id, type.name(), e.getMessage());
            connections.detach(host, "not launched");
            hosts.remove(id);
            managed.remove(id);
            readyWaiters.remove(id);
            deleteRecursively(storage);
            ready.fail(new IllegalStateException("renderer of type " + type.name() + " could not be launched: " + e.getMessage(), e));
        }
        return ready.getPromise();
    }

    private List<String> command(RendererType type, int id, Path storage) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + type.heapMb() + "m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // The JVM's own messages (such as the one before that exit, or a class-data archive it cannot
        // use) would corrupt the channel on stdout: its unified log goes to stderr instead.
        cmd.add("-XX:+DisplayVMOutputToStderr");
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=warning:stderr");
        cmd.add(TMPDIR_OPTION + storage.resolve("tmp"));
        cmd.add(ID_OPTION + id);
        cmd.addAll(RendererTypeComponent.list(config.jvm_options()));
        cmd.addAll(type.jvmOptions());
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, runtime.classPath().stream().map(Path::toString).toList()));
        cmd.add(ChildRuntime.BOOT_CLASS);
        if (config.class_data_sharing()) {
            cmd.addAll(cmd.indexOf("-cp"), classData.options(cmd, storage));
        }
        return cmd;
    }

    private Map<String, String> frameworkProperties(RendererType type, int id, Path storage) {
        Map<String, String> p = new LinkedHashMap<>(connections.rendererProperties());
        p.put("org.osgi.framework.storage", storage.resolve("cache").toString());
        p.put("org.osgi.framework.storage.clean", "onFirstInit");
        p.put("felix.log.level", "1");
        p.put("cordon.renderer.id", Integer.toString(id));
        p.put("cordon.renderer.type", type.name());
        // A trusted renderer's preload hook hides no imported proxies (io.cordon.renderer.preload.ProxyHiding).
        p.put("cordon.renderer.trusted", Boolean.toString(type.trusted()));
        return p;
    }

    @Override
    public List<RendererInfo> list() {
        return hosts.values().stream().sorted(Comparator.comparingInt(RendererHost::id)).map(RendererHost::info).toList();
    }

    @Override
    public Optional<RendererInfo> get(int id) {
        return Optional.ofNullable(hosts.get(id)).map(RendererHost::info);
    }

    @Override
    public Promise<RendererInfo> stop(int id) {
        return withHost(id, host -> {
            managed.remove(id);
            return stopHost(host);
        });
    }

    @Override
    public Promise<RendererInfo> kill(int id) {
        return withHost(id, host -> {
            host.kill();
            return host.whenGone();
        });
    }

    @Override
    public Promise<RendererInfo> restart(int id) {
        return withHost(id, host -> {
            pendingRestarts.put(id, Boolean.TRUE);
            Deferred<RendererInfo> ready = new Deferred<>();
            // With the type's current settings: an edited type applies to a restarted renderer.
            stopHost(host).onResolve(() -> ready.resolveWith(start(types.getOrDefault(host.type().name(), host.type()), id,
                    host.restarts() + 1, managed.containsKey(id))));
            return ready.getPromise();
        });
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
        return new IllegalArgumentException("no renderer " + id + "; 'cordon:renderers' lists them");
    }

    private Promise<RendererInfo> stopHost(RendererHost host) {
        if (host.state() != RendererState.GONE) {
            host.stop();
            long timeout = config.stop_timeout_ms();
            scheduler.schedule(() -> {
                if (host.state() != RendererState.GONE) {
                    log.warn("renderer {} ({}) did not stop within {} ms; killing it", host.id(), host.type().name(), timeout);
                    host.kill();
                }
            }, timeout, TimeUnit.MILLISECONDS);
        }
        return host.whenGone();
    }

    // ---- callbacks from hosts ----

    @Override
    public void ready(RendererHost host) {
        log.info("renderer {} ({}) READY, pid {}; start-up: {}", host.id(), host.type().name(), host.pid(), host.startup());
        publish(RendererEvent.Kind.READY, host, host.startup());
        Optional.ofNullable(readyWaiters.remove(host.id())).ifPresent(d -> d.resolve(host.info()));
    }

    @Override
    public void responsive(RendererHost host, boolean responsive) {
        log.warn("renderer {} ({}) is {}", host.id(), host.type().name(), responsive ? "responsive again" : "UNRESPONSIVE");
        publish(responsive ? RendererEvent.Kind.RESPONSIVE : RendererEvent.Kind.UNRESPONSIVE, host, "");
    }

    @Override
    public void gone(RendererHost host, GoneReason reason, int exitCode, String detail) {
        int id = host.id();
        connections.detach(host, reason.label());
        hosts.remove(id, host);
        classData.collect(host.storage());
        deleteRecursively(host.storage());
        String message = "renderer {} ({}) GONE: {} ({})";
        boolean expected = reason == GoneReason.CLEAN_EXIT || (reason == GoneReason.KILLED && host.killRequested());
        if (expected) {
            log.info(message, id, host.type().name(), reason.label(), detail);
        } else {
            log.warn(message, id, host.type().name(), reason.label(), detail);
        }
        publish(RendererEvent.Kind.GONE, host, detail);
        Optional.ofNullable(readyWaiters.remove(id)).ifPresent(d -> d.fail(
                new IllegalStateException("renderer " + id + " (" + host.type().name() + ") " + reason.label() + ": " + detail)));
        if (pendingRestarts.remove(id) == null) {
            maybeRestart(host, reason);
        }
    }

    private void maybeRestart(RendererHost host, GoneReason reason) {
        RendererType type = types.get(host.type().name());
        boolean crash = reason == GoneReason.CRASHED || reason == GoneReason.KILLED || reason == GoneReason.OOM
                || reason == GoneReason.UNRESPONSIVE;
        if (!active || type == null || type.restart() != RendererType.RestartPolicy.ON_CRASH || !crash) {
            managed.remove(host.id());
            crashCounts.remove(host.id());
            return;
        }
        int crashes = RestartBackoff.nextCrashCount(crashCounts.getOrDefault(host.id(), 0), host.readyForMs());
        crashCounts.put(host.id(), crashes);
        long delay = RestartBackoff.delay(type.backoffMs(), type.backoffMaxMs(), crashes - 1);
        log.info("renderer {} ({}) restarts in {} ms (policy on-crash, crash #{})", host.id(), type.name(), delay, crashes);
        boolean keep = managed.containsKey(host.id());
        scheduler.schedule(() -> start(type, host.id(), host.restarts() + 1, keep), delay, TimeUnit.MILLISECONDS);
    }

    // ---- heartbeats, settling, events ----

    private void tick() {
        for (RendererHost host : hosts.values()) {
            host.heartbeat(config.unresponsive_ms(), config.unresponsive_kill_ms());
        }
    }

    /** Settled: a quiet period for FileInstall's first scan has passed and no renderer is STARTING. */
    private void checkSettled() {
        boolean quiet = (System.nanoTime() - activatedNanos) / 1_000_000 >= settleQuietMs;
        if (!settled.isDone() && quiet && hosts.values().stream().noneMatch(h -> h.state() == RendererState.STARTING)) {
            settled.complete(null);
            settleCheck.cancel(false);
        }
    }

    /** Completes once start-up has settled; see {@link #checkSettled()}. */
    public CompletableFuture<Void> whenSettled() {
        return settled;
    }

    private void publish(RendererEvent.Kind kind, RendererHost host, String detail) {
        RendererEvent event = new RendererEvent(kind, host.info(), detail);
        events.execute(() -> deliver(event));
    }

    private void deliver(RendererEvent event) {
        for (RendererListener listener : listeners) {
            try {
                listener.rendererEvent(event);
            } catch (RuntimeException e) {
                log.error("renderer listener {} failed on {}: {}", listener, event.topic(), e.toString());
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> props = new HashMap<>();
            RendererInfo r = event.renderer();
            props.put("id", r.id());
            props.put("type", r.type());
            props.put("pid", r.pid());
            props.put("detail", event.detail());
            if (r.gone() != null) {
                props.put("reason", r.gone().label());
            }
            if (r.exitCode() != null) {
                props.put("exitCode", r.exitCode());
            }
            admin.postEvent(new Event(event.topic(), props));
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
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
