package io.cordon.renderer.boot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.Messages.Result;

/**
 * Hot deploy inside a running renderer: BUNDLE_INSTALL, BUNDLE_UPDATE and BUNDLE_UNINSTALL from main,
 * each answered by a BUNDLE_RESULT on the same stream once the bundle is active (or gone), or with the
 * reason it is not. Requests run one at a time, in order, off the channel's reader thread. Before it
 * answers, the renderer's components are given a moment to be satisfied again as they were (an updated
 * API bundle restarts its importers, and their imported proxies are built again), and its health is
 * reported if it changed; the periodic health checks run on the same thread, never during an operation.
 */
final class BundleDeployer {

    private static final int QUEUE = 64;
    private static final long WAIT_MS = 60_000;
    /** How long an operation waits for the components it disturbed to be satisfied again. */
    private static final long SETTLE_MS = 5_000;

    private final Channel channel;
    private final Supplier<Framework> framework;
    private final HealthReports health;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "cordon-renderer-deploy");
                t.setDaemon(true);
                return t;
            });

    BundleDeployer(Channel channel, Supplier<Framework> framework, HealthReports health) {
        this.channel = channel;
        this.framework = framework;
        this.health = health;
        channel.handle(FrameType.BUNDLE_INSTALL, m -> submit(m, () -> install(Messages.BundleMessage.decode(m.payload()))));
        channel.handle(FrameType.BUNDLE_UPDATE, m -> submit(m, () -> update(Messages.BundleMessage.decode(m.payload()))));
        channel.handle(FrameType.BUNDLE_UNINSTALL, m -> submit(m, () -> uninstall(Messages.utf8(m.payload()))));
    }

    private interface Operation {
        Result run() throws Exception;
    }

    private void submit(Frame request, Operation operation) throws IOException {
        try {
            executor.execute(() -> {
                Health before = health.sample();
                Result result = outcome(operation);
                settle(before);
                reply(request.stream(), result);
            });
        } catch (RejectedExecutionException e) {
            reply(request.stream(), new Result(1, "renderer busy: " + QUEUE + " bundle operations already queued"));
        }
    }

    /** A periodic health check, after any operation queued; skipped when the queue is full. */
    void checkHealth() {
        try {
            executor.execute(health::check);
        } catch (RejectedExecutionException e) {
            // the next heartbeat checks again
        }
    }

    private void settle(Health before) {
        try {
            health.awaitAsBefore(before, SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        health.report();
    }

    private static Result outcome(Operation operation) {
        try {
            return operation.run();
        } catch (BundleException e) {
            return new Result(1, e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        } catch (Exception | LinkageError e) {
            return new Result(1, e.toString());
        }
    }

    private Result install(Messages.BundleMessage message) throws Exception {
        BundleContext context = context();
        if (context.getBundle(message.location()) != null) {
            return update(message);
        }
        Bundle bundle = context.installBundle(message.location(), new ByteArrayInputStream(message.jar()));
        bundle.adapt(BundleStartLevel.class).setStartLevel(message.startLevel());
        return activate(bundle, "installed");
    }

    private Result update(Messages.BundleMessage message) throws Exception {
        Bundle bundle = context().getBundle(message.location());
        if (bundle == null) {
            return install(message);
        }
        bundle.update(new ByteArrayInputStream(message.jar()));
        bundle.adapt(BundleStartLevel.class).setStartLevel(message.startLevel());
        // Bundles wired to the old revision (importers of its packages) move to the new one.
        refreshRemovalPending();
        return activate(bundle, "updated");
    }

    private Result uninstall(String location) throws Exception {
        Bundle bundle = context().getBundle(location);
        if (bundle == null) {
            return new Result(0, location + " was not installed");
        }
        String name = describe(bundle);
        bundle.uninstall();
        refreshRemovalPending();
        return new Result(0, name + " uninstalled");
    }

    /** Starts the bundle (raising the framework's start level to its own if needed); fails with the cause if it stays inactive. */
    private Result activate(Bundle bundle, String what) throws Exception {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return new Result(0, describe(bundle) + " " + what + " (fragment)");
        }
        raiseStartLevel(bundle.adapt(BundleStartLevel.class).getStartLevel());
        if (bundle.getState() != Bundle.ACTIVE) {
            bundle.start();
        }
        if (bundle.getState() != Bundle.ACTIVE) {
            return new Result(1, describe(bundle) + " " + what + " but not active (state " + bundle.getState() + ")");
        }
        return new Result(0, describe(bundle) + " " + what + ", active");
    }

    private void raiseStartLevel(int level) throws InterruptedException {
        FrameworkStartLevel frameworkLevel = framework().adapt(FrameworkStartLevel.class);
        if (frameworkLevel.getStartLevel() < level) {
            CountDownLatch reached = new CountDownLatch(1);
            frameworkLevel.setStartLevel(level, e -> reached.countDown());
            await(reached, "start level " + level);
        }
    }

    private void refreshRemovalPending() throws InterruptedException {
        FrameworkWiring wiring = framework().adapt(FrameworkWiring.class);
        if (!wiring.getRemovalPendingBundles().isEmpty()) {
            CountDownLatch refreshed = new CountDownLatch(1);
            wiring.refreshBundles(null, e -> {
                if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                    refreshed.countDown();
                }
            });
            await(refreshed, "the package refresh");
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(WAIT_MS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(what + " did not finish within " + WAIT_MS + " ms");
        }
    }

    private Framework framework() {
        Framework f = framework.get();
        if (f == null || f.getBundleContext() == null) {
            throw new IllegalStateException("the renderer framework is not running");
        }
        return f;
    }

    private BundleContext context() {
        return framework().getBundleContext();
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    private void reply(int stream, Result result) {
        try {
            channel.send(FrameType.BUNDLE_RESULT, stream, result.encode());
        } catch (IOException e) {
            System.err.println("cordon-renderer: cannot send a bundle result: " + e.getMessage());
        }
    }
}
