package io.cordon.main.host;

/**
 * Every {@code heartbeat.ms} on the supervisor's thread ({@link SupervisorThread}): each renderer and spare is
 * pinged (and its dropped log lines counted), then every type and the spare pool are reconciled, so that
 * whatever an event missed converges at the next beat.
 */
final class Heartbeat implements Runnable {

    private final RendererRoster roster;
    private final TypeReconcile reconcile;
    private final SpareRenderers spares;

    Heartbeat(RendererRoster roster, TypeReconcile reconcile, SpareRenderers spares) {
        this.roster = roster;
        this.reconcile = reconcile;
        this.spares = spares;
    }

    @Override
    public void run() {
        roster.all().forEach(host -> {
            host.heartbeat();
            host.flushDroppedLog();
        });
        reconcile.all();
        spares.reconcile();
    }
}
