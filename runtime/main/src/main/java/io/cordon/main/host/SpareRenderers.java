package io.cordon.main.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Promise;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;
import io.cordon.main.rsa.RendererConnections;
import io.cordon.main.sandbox.SandboxedCommand;

/**
 * The spare renderers ({@code spare.renderers}): processes started ahead, without a type, as the {@link SparePool}
 * decides for the types in use. A launch whose type has a waiting spare's {@link SpareKey} adopts it instead of
 * starting a JVM, and a renderer that needs a spare's room under {@code max.renderers} gets it. Everything here
 * runs on the supervisor's thread ({@link SupervisorThread}).
 */
final class SpareRenderers {

    /** What starts a spare's process, as a renderer's. */
    record Start(RendererLaunch launch, RendererConnections connections, RendererHost.Callbacks callbacks,
                 RendererHost.Timing timing, PipeFallbacks pipe) {
    }

    private final RendererRoster roster;
    private final SparePool pool = new SparePool();
    private final SupervisorThread thread;
    private final HostStops stops;
    private final Start start;
    private final SupervisorConfig config;
    private final boolean production;
    private final Logger log;

    SpareRenderers(RendererRoster roster, SupervisorThread thread, HostStops stops, Start start, SupervisorConfig config,
                   boolean production, Logger log) {
        this.roster = roster;
        this.thread = thread;
        this.stops = stops;
        this.start = start;
        this.config = config;
        this.production = production;
        this.log = log;
    }

    /** Starts and stops spares as the pool decides for the types in use. */
    void reconcile() {
        if (!thread.active()) {
            return;
        }
        List<SpareKey> keys = roster.types.values().stream().filter(t -> !(t.trusted() && production))
                .sorted(Comparator.comparing(RendererType::name)).map(SpareKey::of).distinct().toList();
        SparePool.Plan plan = pool.plan(keys, config.spare_renderers(), config.max_renderers() - roster.hosts.size()
                - roster.spares.size(), roster.anyStarting());
        plan.stop().forEach(id -> discard(id, "no renderer type has its settings any more"));
        plan.start().forEach(this::start);
    }

    /** A type changed: spares that died for its settings may be tried again. */
    void forgive() {
        pool.forgive();
    }

    /**
     * A waiting spare of the type's settings, now the slot's renderer ({@code registration} took it); empty when there is
     * none (or it just died). The type's settings count as in use either way.
     */
    Optional<RendererHost> adopt(RendererType type, TypeSlots.Slot slot, Consumer<RendererHost> registration) {
        SpareKey key = SpareKey.of(type);
        pool.used(key);
        IntPredicate waiting = id -> Optional.ofNullable(roster.spares.get(id)).filter(h -> h.state() == RendererState.SPARE).isPresent();
        for (Optional<Integer> id = pool.take(key, waiting); id.isPresent(); id = pool.take(key, waiting)) {
            RendererHost spare = roster.spares.remove(id.get());
            if (spare != null && spare.adopt(slot.id, type, slot.restarts, () -> registration.accept(spare))) {
                return Optional.of(spare);
            }
        }
        return Optional.empty();
    }

    /** A renderer is about to start: if renderers and spares fill max.renderers, a spare makes room (the newest). */
    void makeRoom() {
        while (roster.hosts.size() + roster.spares.size() >= config.max_renderers()) {
            Optional<Integer> id = pool.evictable();
            if (id.isEmpty()) {
                return;
            }
            discard(id.get(), "a renderer needs its room under max.renderers");
        }
    }

    /** cordon:stop of a spare: it goes, and the pool starts another. */
    Promise<RendererInfo> stop(int id) {
        RendererHost spare = roster.spares.get(id);
        discard(id, "cordon:stop");
        return spare.whenGone();
    }

    /** A spare exited (the host's thread): asked to (it left the pool then) or on its own, which the pool counts. */
    void gone(RendererHost host, GoneReason reason, String detail) {
        roster.spares.remove(host.id(), host);
        start.launch().gone(host.storage());
        RendererLaunch.deleteRecursively(host.storage());
        thread.execute(() -> {
            if (!thread.active() || !pool.contains(host.id())) {
                log.debug("spare renderer {} GONE: {} ({})", host.id(), reason.label(), detail);
                return;
            }
            log.warn("spare renderer {} GONE: {} ({}); another is started", host.id(), reason.label(), detail);
            if (pool.died(host.id())) {
                givenUp(host.type());
            }
            reconcile();
        });
    }

    private void start(SpareKey key) {
        Optional<RendererType> template = roster.types.values().stream().filter(t -> SpareKey.of(t).equals(key)).findFirst();
        if (template.isEmpty()) {
            return;
        }
        RendererType type = template.get();
        int id = roster.nextId();
        RendererLaunch launch = start.launch();
        RendererHost host = new RendererHost(id, type, 0, launch.storage(id), log, start.callbacks(), start.timing(), true);
        try {
            Path storage = launch.prepare(id);
            SandboxedCommand command = launch.command(type, id, "spare renderer " + id, storage);
            host.start(command, launch.rings(type, command.level(), storage, why -> start.pipe().pipeInstead(type, why)));
            roster.spares.put(id, host);
            pool.started(id, key);
            host.runSpare(launch.frameworkProperties(type, storage, start.connections().rendererProperties()), launch.runtimeBundles());
            thread.schedule(host.startTimeout(), config.start_timeout_ms());
        } catch (IOException | RuntimeException e) {
            log.warn("spare renderer {} could not be started: {}", id, e.getMessage());
            roster.spares.remove(id, host);
            host.kill();
            if (pool.died(id)) {
                givenUp(type);
            }
            RendererLaunch.deleteRecursively(host.storage());
        }
    }

    /** Main stops the spare: it leaves the pool and the count at once. */
    private void discard(int id, String why) {
        pool.discard(id);
        Optional.ofNullable(roster.spares.remove(id)).ifPresent(host -> {
            log.debug("stopping spare renderer {}: {}", id, why);
            stops.stop(host);
        });
    }

    private void givenUp(RendererType type) {
        log.warn("spare renderers with the settings of type {} died {} times in a row; none is started for them until a "
                + "renderer type changes (its renderers start without a spare meanwhile)", type.name(), SparePool.GIVE_UP);
    }
}
