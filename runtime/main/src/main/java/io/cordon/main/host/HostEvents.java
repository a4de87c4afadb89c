package io.cordon.main.host;

import java.util.Optional;

import org.osgi.service.log.Logger;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.common.channel.Messages;
import io.cordon.main.rsa.RendererConnections;

/**
 * What a renderer reports about itself (on its host's threads): logged, published as {@link RendererEvent}s,
 * the promises awaiting its READY settled; whatever must be decided about it (a restart, a spare's replacement)
 * is handed to the supervisor's thread ({@link SupervisorThread}).
 */
final class HostEvents implements RendererHost.Callbacks {

    private final RendererRoster roster;
    private final SupervisorThread thread;
    private final SpareRenderers spares;
    private final Restarts restarts;
    private final RendererLaunch launch;
    private final RendererConnections connections;
    private final RendererEvents events;
    private final WhitelistPackageCheck whitelistCheck;
    private final Logger log;

    HostEvents(RendererRoster roster, SupervisorThread thread, SpareRenderers spares, Restarts restarts, RendererLaunch launch,
               RendererConnections connections, RendererEvents events, WhitelistPackageCheck whitelistCheck, Logger log) {
        this.roster = roster;
        this.thread = thread;
        this.spares = spares;
        this.restarts = restarts;
        this.launch = launch;
        this.connections = connections;
        this.events = events;
        this.whitelistCheck = whitelistCheck;
        this.log = log;
    }

    @Override
    public void spare(RendererHost host) {
        log.debug("spare renderer {} waits for a type, pid {}; start-up: {}", host.id(), host.pid(), host.startup());
    }

    @Override
    public void ready(RendererHost host) {
        log.info("renderer {} ({}) READY, pid {}; start-up: {}", host.id(), host.type().name(), host.pid(), host.startup());
        thread.execute(spares::reconcile);
        events.publish(RendererEvent.Kind.READY, host.info(), host.startup());
        health(host, Messages.Health.OK);
        Optional.ofNullable(roster.readyWaiters.remove(host.id())).ifPresent(d -> d.resolve(host.info()));
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
            spares.gone(host, reason, detail);
            return;
        }
        int id = host.id();
        connections.detach(host, reason.label());
        roster.hosts.remove(id, host);
        launch.gone(host.storage());
        RendererLaunch.deleteRecursively(host.storage());
        RendererInfo info = host.info();
        roster.gone(info);
        String message = "renderer {} ({}) GONE: {} ({})";
        if (host.lifecycle().expected()) {
            log.info(message, id, host.type().name(), reason.label(), detail);
        } else {
            log.warn(message, id, host.type().name(), reason.label(), detail);
        }
        events.publish(RendererEvent.Kind.GONE, info, detail);
        Optional.ofNullable(roster.readyWaiters.remove(id)).ifPresent(d -> d.fail(
                new IllegalStateException("renderer " + id + " (" + host.type().name() + ") " + reason.label() + ": " + detail)));
        thread.execute(() -> restarts.afterGone(host, reason));
    }
}
