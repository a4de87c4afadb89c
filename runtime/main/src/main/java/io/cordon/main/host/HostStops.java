package io.cordon.main.host;

import java.util.concurrent.RejectedExecutionException;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;

/** Stops a renderer or spare: SHUTDOWN, then SIGKILL if it is not gone after the stop timeout. */
final class HostStops {

    private final SupervisorThread thread;
    private final long timeoutMs;
    private final Logger log;

    HostStops(SupervisorThread thread, long timeoutMs, Logger log) {
        this.thread = thread;
        this.timeoutMs = timeoutMs;
        this.log = log;
    }

    Promise<RendererInfo> stop(RendererHost host) {
        if (host.state() != RendererState.GONE) {
            host.stop();
            try {
                thread.schedule(() -> {
                    if (host.state() != RendererState.GONE) {
                        log.warn("renderer {} ({}) did not stop within {} ms; killing it", host.id(), host.type().name(), timeoutMs);
                        host.kill();
                    }
                }, timeoutMs);
            } catch (RejectedExecutionException e) {
                host.kill(); // main is stopping and its scheduler is gone: no waiting
            }
        }
        return host.whenGone();
    }
}
