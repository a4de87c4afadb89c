package io.cordon.main.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.osgi.service.event.Event;
import org.osgi.service.log.Logger;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;

/**
 * Hot deploy into running renderers. Keeps every READY renderer of a type on the type's current
 * bundles ({@link TypeBundles}): watches the type's bundle folders (a {@link FolderWatch} for
 * promptness, and periodic scans as {@link PeriodicScan} paces them) and, per the type's {@code bundle.update}
 * policy, installs, updates and uninstalls bundles inside each running renderer, or restarts the
 * type's renderers one at a time. An edit of a type's launch settings (heap, JVM options, sandbox, resources)
 * also restarts its renderers one at a time, so the type keeps serving throughout.
 *
 * <p>What each renderer has is recorded when it is spawned (its bundles are read then) and after
 * each answered operation; everything but spawning runs on one thread.
 */
public final class RendererHotDeploy implements AutoCloseable {

    private static final long OP_TIMEOUT_MS = 60_000;
    private static final int MAX_DETAIL = 4096;

    private record TypeState(RendererType type, TypeBundles bundles) {
    }

    private record Op(byte frame, String name, String location, TypeBundles.Jar jar) {
        byte[] payload() {
            return jar == null ? Messages.utf8(location) : jar.message().encode();
        }
    }

    private final Path home;
    private final long pollMs;
    private final Logger log;
    private final Supplier<Collection<DeployTarget>> hosts;
    private final IntFunction<Promise<RendererInfo>> restart;
    private final Consumer<Event> events;
    private final ScheduledThreadPoolExecutor executor;
    private final FolderWatch watch;
    private final PeriodicScan periodic;
    private final Map<String, TypeState> types = new ConcurrentHashMap<>();
    /** location → version of every bundle each renderer has, from its spawn on. */
    private final Map<DeployTarget, Map<String, String>> deployed = new ConcurrentHashMap<>();
    // The rest is touched on the executor's thread only.
    private final Set<DeployTarget> busy = new HashSet<>();
    private final Set<String> rolling = new HashSet<>();
    /** Per type, what a rolling restart that failed was trying to reach; not retried until that changes. */
    private final Map<String, String> failedRolls = new HashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /**
     * @param hosts   every renderer not yet GONE
     * @param restart stops a renderer and starts it again, with the same id and its type's current settings
     * @param events  posts an event to EventAdmin, if there is one
     */
    public RendererHotDeploy(Path home, long pollMs, Logger log, Supplier<Collection<DeployTarget>> hosts,
                      IntFunction<Promise<RendererInfo>> restart, Consumer<Event> events) {
        this.home = home;
        this.pollMs = pollMs;
        this.log = log;
        this.hosts = hosts;
        this.restart = restart;
        this.events = events;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "cordon-renderer-deploy"));
        executor.setRemoveOnCancelPolicy(true);
        this.periodic = new PeriodicScan(executor, this::scanAll, pollMs);
        this.watch = new FolderWatch(periodic::request, "cordon-renderer-deploy-watch");
        run(this::scanAll);
    }

    // ---- from the supervisor ----

    public void typeChanged(RendererType type) {
        TypeState old = types.get(type.name());
        TypeBundles bundles = old != null && old.bundles().sameLocations(type) ? old.bundles() : new TypeBundles(type, home, pollMs);
        types.put(type.name(), new TypeState(type, bundles));
        run(() -> {
            scanAll();
            roll(type.name());
        });
    }

    public void typeRemoved(String name) {
        types.remove(name);
        run(this::scanAll);
    }

    /** A renderer is being launched: its type's bundles as they are now, recorded as what it has. */
    public List<Messages.BundleMessage> spawning(DeployTarget host) throws IOException {
        TypeState state = types.get(host.type().name());
        TypeBundles bundles = state != null ? state.bundles() : new TypeBundles(host.type(), home, pollMs);
        report(host.type().name(), bundles.scan(true));
        Map<String, TypeBundles.Jar> now = bundles.current();
        deployed.put(host, new HashMap<>(versions(now)));
        return now.values().stream().map(TypeBundles.Jar::message).toList();
    }

    @Override
    public void close() {
        watch.close();
        executor.shutdownNow();
    }

    // ---- scanning (executor thread) ----

    private void scanAll() {
        try {
            Collection<DeployTarget> live = hosts.get();
            deployed.keySet().retainAll(live);
            busy.retainAll(live);
            Set<Path> folders = new HashSet<>();
            types.values().forEach(t -> folders.addAll(t.bundles().folders()));
            watch.watch(folders);
            boolean waiting = false;
            for (String name : types.keySet()) {
                waiting |= scanAndSync(name);
            }
            periodic.after(watch.covers(folders), waiting || types.values().stream().anyMatch(t -> t.bundles().settling()));
        } catch (RuntimeException e) {
            log.error("hot deploy: scan failed: {}", e.toString(), e);
            periodic.soon();
        }
    }

    /**
     * Scans the type's bundles and brings its READY renderers up to date; true when one that is behind is
     * still starting (no event announces its READY to this class, so a scan must look again soon).
     */
    private boolean scanAndSync(String name) {
        TypeState state = types.get(name);
        if (state == null) {
            return false;
        }
        try {
            report(name, state.bundles().scan(false));
        } catch (IOException e) {
            once("renderer type {}: cannot read its bundles: {}", name, e.getMessage());
        }
        Map<String, String> want = versions(state.bundles().current());
        boolean waiting = false;
        for (DeployTarget host : hostsOf(name)) {
            Map<String, String> have = deployed.get(host);
            if (have == null || have.equals(want)) {
                continue;
            }
            if (host.state() != RendererState.READY || busy.contains(host)) {
                waiting |= host.state() == RendererState.STARTING;
                continue;
            }
            if (state.type().bundleUpdate() == RendererType.BundleUpdatePolicy.RESTART) {
                roll(name);
            } else {
                sync(host, name, state.bundles().current(), have);
            }
        }
        return waiting;
    }

    private void report(String type, TypeBundles.Problems problems) {
        for (String error : problems.errors()) {
            log.error("renderer type {}: {}; it was refused and no running renderer was touched (those that had an earlier "
                    + "version of the file keep it); fix or remove the file", type, error);
        }
        problems.warnings().forEach(w -> once("renderer type {}: {}", type, w));
    }

    // ---- bundle operations inside a running renderer (policy update) ----

    private void sync(DeployTarget host, String type, Map<String, TypeBundles.Jar> want, Map<String, String> have) {
        List<Op> ops = new ArrayList<>();
        List<String> gone = new ArrayList<>(have.keySet());
        gone.removeAll(want.keySet());
        // Uninstalls first (a renamed jar may carry the same bundle), in reverse start order.
        for (int i = gone.size() - 1; i >= 0; i--) {
            ops.add(new Op(FrameType.BUNDLE_UNINSTALL, "uninstall", gone.get(i), null));
        }
        for (TypeBundles.Jar jar : want.values()) {
            String version = have.get(jar.location());
            if (version == null) {
                ops.add(new Op(FrameType.BUNDLE_INSTALL, "install", jar.location(), jar));
            } else if (!version.equals(jar.version())) {
                ops.add(new Op(FrameType.BUNDLE_UPDATE, "update", jar.location(), jar));
            }
        }
        busy.add(host);
        next(host, type, ops.iterator());
    }

    /** One operation at a time per renderer, in order; renderers are served side by side. */
    private void next(DeployTarget host, String type, Iterator<Op> ops) {
        if (!ops.hasNext() || host.state() != RendererState.READY) {
            busy.remove(host);
            if (scanAndSync(type)) { // anything that changed meanwhile
                periodic.soon();
            }
            return;
        }
        Op op = ops.next();
        long start = System.nanoTime();
        Promise<String> answer = host.bundleOp(op.frame(), op.payload(), OP_TIMEOUT_MS, executor);
        answer.onResolve(() -> run(() -> {
            answered(host, type, op, answer, (System.nanoTime() - start) / 1_000_000);
            next(host, type, ops);
        }));
    }

    private void answered(DeployTarget host, String type, Op op, Promise<String> answer, long ms) {
        Map<String, String> have = deployed.get(host);
        if (have == null) {
            return; // gone meanwhile
        }
        // Recorded even when it failed: the same file is not retried; a new version of it is.
        if (op.jar() == null) {
            have.remove(op.location());
        } else {
            have.put(op.location(), op.jar().version());
        }
        Throwable failure = failure(answer);
        String detail = truncate(failure == null ? value(answer) : String.valueOf(failure.getMessage()));
        if (failure == null) {
            log.info("renderer {} ({}): {} {}: {} ({} ms)", host.id(), type, op.name(), op.location(), detail, ms);
        } else if (host.state() == RendererState.READY) {
            log.error("renderer {} ({}) could not {} {}: {}", host.id(), type, op.name(), op.location(), detail);
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("id", host.id());
        props.put("type", type);
        props.put("pid", host.pid());
        props.put("operation", op.name());
        props.put("location", op.location());
        props.put("result", failure == null ? "ok" : "failed");
        props.put("health", host.currentHealth().label());
        props.put("detail", detail);
        props.put("ms", ms);
        events.accept(new Event(RendererEvent.BUNDLE_TOPIC, props));
    }

    // ---- rolling restarts (launch settings, policy restart) ----

    /** Restarts the type's stale renderers one at a time; a no-op when none is stale or a roll is under way. */
    private void roll(String type) {
        TypeState state = types.get(type);
        if (state == null || rolling.contains(type) || Objects.equals(failedRolls.get(type), target(state))) {
            return;
        }
        if (hostsOf(type).stream().anyMatch(h -> needsRestart(h, state))) {
            rolling.add(type);
            step(type);
        }
    }

    private void step(String type) {
        TypeState state = types.get(type);
        List<DeployTarget> mine = state == null ? List.of() : hostsOf(type);
        if (mine.stream().anyMatch(h -> h.state() == RendererState.STARTING)) {
            executor.schedule(() -> step(type), pollMs, TimeUnit.MILLISECONDS); // one renderer down at a time
            return;
        }
        DeployTarget host = mine.stream().filter(h -> h.state() == RendererState.READY && needsRestart(h, state)).findFirst().orElse(null);
        if (host == null) {
            rolling.remove(type);
            return;
        }
        String why = launchChanged(host.type(), state.type()) ? "apply the type's new heap.mb/jvm.options/sandbox/nice/cpu/memory.mb/pids"
                : "apply its new bundles (bundle.update=restart)";
        log.info("renderer {} ({}) restarts to {}", host.id(), type, why);
        Promise<RendererInfo> restarted = restart.apply(host.id());
        restarted.onResolve(() -> run(() -> {
            Throwable failure = failure(restarted);
            if (failure != null) {
                rolling.remove(type);
                failedRolls.put(type, target(state));
                log.error("renderer {} ({}) did not come back after a restart to {}: {}; the type's other renderers keep running "
                        + "as they are until the type or its bundles change again", host.id(), type, why, failure.getMessage());
            } else {
                step(type);
            }
        }));
    }

    private boolean needsRestart(DeployTarget host, TypeState state) {
        if (host.state() == RendererState.STOPPING || host.state() == RendererState.GONE) {
            return false;
        }
        if (launchChanged(host.type(), state.type())) {
            return true;
        }
        Map<String, String> have = deployed.get(host);
        return state.type().bundleUpdate() == RendererType.BundleUpdatePolicy.RESTART && have != null
                && !have.equals(versions(state.bundles().current()));
    }

    /** Settings only a new JVM can take. */
    public static boolean launchChanged(RendererType running, RendererType wanted) {
        return running.heapMb() != wanted.heapMb() || !running.jvmOptions().equals(wanted.jvmOptions())
                || running.sandboxPolicy() != wanted.sandboxPolicy() || !running.budget().equals(wanted.budget())
                || !running.resources().equals(wanted.resources()) || running.transport() != wanted.transport();
    }

    private String target(TypeState state) {
        return state.type() + " " + versions(state.bundles().current());
    }

    // ---- helpers ----

    private List<DeployTarget> hostsOf(String type) {
        return hosts.get().stream().filter(h -> h.type().name().equals(type))
                .sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
    }

    private static Map<String, String> versions(Map<String, TypeBundles.Jar> jars) {
        Map<String, String> versions = new LinkedHashMap<>();
        jars.forEach((location, jar) -> versions.put(location, jar.version()));
        return versions;
    }

    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: main is stopping
        }
    }

    private void once(String format, String type, String message) {
        if (logged.add(type + " " + message)) {
            log.warn(format, type, message);
        }
    }

    private static Throwable failure(Promise<?> resolved) {
        try {
            return resolved.getFailure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private static String value(Promise<String> resolved) {
        try {
            return resolved.getValue();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String truncate(String text) {
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text;
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
