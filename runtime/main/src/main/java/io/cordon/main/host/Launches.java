package io.cordon.main.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererType;
import io.cordon.main.deploy.RendererHotDeploy;
import io.cordon.main.sandbox.SandboxedCommand;

/**
 * Starts a slot's renderer: adopts a waiting spare or launches a JVM, as far as production mode and
 * {@code max.renderers} allow; a refusal is one log line saying why and what to do. On the supervisor's
 * thread ({@link SupervisorThread}) only.
 */
final class Launches {

    private final RendererRoster roster;
    private final TypeSlots slots;
    private final SpareRenderers spares;
    private final WaitingLog waiting;
    private final SupervisorThread thread;
    private final SpareRenderers.Start start;
    private final RendererHotDeploy hotDeploy;
    private final RendererEvents events;
    private final SupervisorConfig config;
    private final boolean production;
    private final Logger log;

    Launches(RendererRoster roster, TypeSlots slots, SpareRenderers spares, WaitingLog waiting, SupervisorThread thread,
             SpareRenderers.Start start, RendererHotDeploy hotDeploy, RendererEvents events, SupervisorConfig config,
             boolean production, Logger log) {
        this.roster = roster;
        this.slots = slots;
        this.spares = spares;
        this.waiting = waiting;
        this.thread = thread;
        this.start = start;
        this.hotDeploy = hotDeploy;
        this.events = events;
        this.config = config;
        this.production = production;
        this.log = log;
    }

    /** A renderer spawned by hand ({@code cordon:spawn}): no type counts it, and a crash restarts it. */
    Promise<RendererInfo> spawn(String typeName) {
        RendererType type = roster.types.get(typeName);
        if (type == null) {
            return Promises.failed(new IllegalArgumentException("renderer type '" + typeName + "' was just removed"));
        }
        return launch(type, slots.add(roster.nextId(), typeName, false, TypeSlots.State.LIVE));
    }

    /** Launches the slot's renderer; resolves when it is READY. */
    Promise<RendererInfo> launch(RendererType type, TypeSlots.Slot slot) {
        int id = slot.id;
        if (type.trusted() && production) {
            log.error("renderer type {} is trusted (every remotable main service exported to it), which production mode refuses; "
                    + "remove trusted=true from the type, or run the launcher with --dev", type.name());
            slots.retire(slot);
            return Promises.failed(new IllegalStateException("renderer type " + type.name()
                    + " is trusted, which production mode refuses; remove trusted=true or run with --dev"));
        }
        if (roster.hosts.size() >= config.max_renderers()) {
            return refusedForRoom(type, slot);
        }
        if (type.trusted()) {
            log.warn("renderer {} of type {} is TRUSTED: every remotable main service is exported to it, whitelist or not "
                    + "(development only)", id, type.name());
        }
        Deferred<RendererInfo> ready = new Deferred<>();
        Optional<RendererHost> spare = spares.adopt(type, slot, adoptedHost -> registered(adoptedHost, slot, ready));
        if (spare.isPresent()) {
            return adopted(spare.get(), type, slot, ready);
        }
        spares.makeRoom();
        RendererLaunch launch = start.launch();
        RendererHost host = new RendererHost(id, type, slot.restarts, launch.storage(id), log, start.callbacks(), start.timing(), false);
        try {
            Path storage = launch.prepare(id);
            SandboxedCommand command = launch.command(type, id, "renderer " + id + " (" + type.name() + ")", storage);
            host.start(command, launch.rings(type, command.level(), storage, why -> start.pipe().pipeInstead(type, why)));
            registered(host, slot, ready);
            host.run(launch.frameworkProperties(type, storage, start.connections().rendererProperties()), launch.runtimeBundles(),
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
        roster.hosts.put(slot.id, host);
        roster.readyWaiters.put(slot.id, ready);
        roster.back(slot.id);
        start.connections().attach(host);
    }

    private void starting(RendererHost host) {
        events.publish(RendererEvent.Kind.STARTING, host.info(), "");
        thread.schedule(host.startTimeout(), config.start_timeout_ms());
    }

    private void notLaunched(RendererHost host, RendererType type, TypeSlots.Slot slot, Deferred<RendererInfo> ready, Exception e) {
        int id = slot.id;
        log.error("renderer {} ({}) could not be launched: {}; not retried until the type is edited", id, type.name(), e.getMessage());
        if (roster.hosts.remove(id, host)) {
            start.connections().detach(host, "not launched");
            host.kill();
        }
        roster.readyWaiters.remove(id);
        slots.retire(slot);
        RendererLaunch.deleteRecursively(host.storage());
        ready.fail(new IllegalStateException("renderer of type " + type.name() + " could not be launched: " + e.getMessage(), e));
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

    /** At max.renderers: a type's renderer waits for room; one spawned by hand is refused. */
    private Promise<RendererInfo> refusedForRoom(RendererType type, TypeSlots.Slot slot) {
        String why = "already " + roster.hosts.size() + " renderers alive (max.renderers = " + config.max_renderers() + ")";
        if (slot.managed) {
            slot.state = TypeSlots.State.WAITING;
            waiting.update(type.name());
            return Promises.failed(new IllegalStateException("renderer " + slot.id + " (" + type.name() + ") waits for room: " + why
                    + "; it starts when renderers stop"));
        }
        slots.remove(slot.id);
        String message = (slot.restarts > 0 ? "restart of renderer " + slot.id + " (" + type.name() + ") given up"
                : "renderer of type " + type.name() + " not spawned") + ": " + why + "; stop a renderer or raise max.renderers in io.cordon.supervisor";
        log.warn("{}", message);
        return Promises.failed(new IllegalStateException(message));
    }
}
