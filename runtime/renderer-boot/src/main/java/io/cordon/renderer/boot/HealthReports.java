package io.cordon.renderer.boot;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.Messages.Health.Kind;
import io.cordon.common.channel.Messages.Health.Problem;

/**
 * Sends HEALTH to main: before READY, after each hot-deploy operation, and when a periodic check finds
 * a change that held for two checks in a row (so a component briefly unsatisfied while bundles restart
 * is not reported). The renderer runtime bundle computes health ({@code io.cordon.renderer.health.HealthProbe});
 * this class only asks it. Start-up reports, then the deploy thread.
 */
final class HealthReports {

    private static final String PROBE_FILTER = "(" + Health.PROBE_PROPERTY + "=probe)";
    /** The longest pause between two looks while waiting; the first pauses are shorter (1, 2, 4 … ms). */
    private static final long SETTLE_POLL_MS = 20;
    private static final Health NO_PROBE = Health.of(List.of(new Problem(Kind.BUNDLE_INACTIVE, "io.cordon.renderer",
            "its health probe is not registered or failed")));

    private final Channel channel;
    private final Supplier<Framework> framework;
    private Health sent;
    private Health previousCheck;

    HealthReports(Channel channel, Supplier<Framework> framework) {
        this.channel = channel;
        this.framework = framework;
    }

    /** True once the runtime bundle's probe is registered. */
    boolean probeAvailable() {
        BundleContext context = context();
        return context != null && probe(context) != null;
    }

    /** The renderer's health now; never throws (a bundle operation must be answered whatever happens here). */
    Health sample() {
        BundleContext context = context();
        ServiceReference<?> ref = context == null ? null : probe(context);
        if (ref == null) {
            return NO_PROBE;
        }
        try {
            return context.getService(ref) instanceof Supplier<?> probe && probe.get() instanceof Health health ? health : NO_PROBE;
        } catch (RuntimeException e) {
            return NO_PROBE; // the framework is stopping, or SCR failed
        } finally {
            try {
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                // the framework is stopping
            }
        }
    }

    /** A spare was adopted: what it reported was the spare's; its type's renderer reports again, from nothing. */
    synchronized void forget() {
        sent = null;
        previousCheck = null;
    }

    /** Sends the current health unless main already has it. */
    synchronized void report() {
        send(sample());
    }

    /** Periodic check: reports a change once it has held for two checks in a row. */
    synchronized void check() {
        Health now = sample();
        if (now.equals(previousCheck)) {
            send(now);
        }
        previousCheck = now;
    }

    /**
     * After a bundle operation: waits (at most {@code maxMs}) until no problem is left that was not there
     * before it, as the package refresh restarts bundles and their components bind again.
     */
    void awaitAsBefore(Health before, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000;
        // Components usually bind within a millisecond or two: a short first pause keeps READY from waiting 20 ms.
        for (long pause = 1; !noNewProblems(before, sample()) && System.nanoTime() < deadline; pause = Math.min(2 * pause, SETTLE_POLL_MS)) {
            Thread.sleep(pause);
        }
    }

    static boolean noNewProblems(Health before, Health now) {
        return now.omitted() <= before.omitted() && new HashSet<>(before.problems()).containsAll(now.problems());
    }

    private void send(Health health) {
        if (health.equals(sent)) {
            return;
        }
        try {
            channel.send(FrameType.HEALTH, 0, health.encode());
            sent = health;
            previousCheck = health;
        } catch (IOException e) {
            System.err.println("cordon-renderer: cannot report health: " + e.getMessage());
        }
    }

    private BundleContext context() {
        Framework f = framework.get();
        return f == null ? null : f.getBundleContext();
    }

    private static ServiceReference<?> probe(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Supplier.class.getName(), PROBE_FILTER);
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }
}
