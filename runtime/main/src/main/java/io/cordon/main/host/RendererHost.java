package io.cordon.main.host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererHealth;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;
import io.cordon.api.SandboxLevel;
import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FramedChannel;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.ProtocolException;
import io.cordon.main.deploy.DeployTarget;
import io.cordon.common.channel.StartupPhases;
import io.cordon.common.channel.shm.RingTransport;
import io.cordon.common.channel.shm.SharedRings;
import io.cordon.common.channel.shm.SocketBell;
import io.cordon.main.log.Untrusted;
import io.cordon.main.rsa.RendererLink;
import io.cordon.main.sandbox.SandboxedCommand;

/**
 * Main's side of one renderer process (Chromium's RenderProcessHost), and its compartment in main:
 * its own channel (a bounded outbound queue drained by its own writer, so no shared thread ever blocks
 * on its pipe), its own byte budget, its own reader and stderr threads. Everything the renderer sends
 * is untrusted: a protocol violation, or any failure while handling its message, kills it with reason
 * {@code bad-message}. What each event means is decided by its {@link RendererLifecycle}.
 *
 * <p>A spare's host starts its process with a type that has its {@link SpareKey} (the process needs no more),
 * and takes its id, type and restarts from the type that adopts it ({@link #adopt}).
 */
final class RendererHost implements RendererLink, DeployTarget {

    /** What the supervisor hears from a host; called on the host's own threads. */
    interface Callbacks {
        void ready(RendererHost host);

        /** A spare's runtime is up: it waits for a type. */
        void spare(RendererHost host);

        void responsive(RendererHost host, boolean responsive);

        /** A READY renderer reported its health ({@link #health()}); {@code before} is the previous report. */
        void health(RendererHost host, Messages.Health before);

        void gone(RendererHost host, GoneReason reason, int exitCode, String detail);
    }

    /** Timings and rates of the supervisor that a host applies. */
    record Timing(long startTimeoutMs, long unresponsiveMs, long unresponsiveKillMs, long drainTimeoutMs, long heartbeatMs,
                  int logLinesPerSecond) {
    }

    private static final int MAX_PENDING_EXECS = 32;
    private static final int MAX_PENDING_BUNDLE_OPS = 16;
    private static final int MAX_FAILURE_LINES = 100;
    /** HEALTH reports a renderer may have in hand (see {@link HealthCredits}): its deploy thread's queue. */
    private static final int MAX_HEALTH_CREDITS = 64;

    private volatile int id;
    private volatile RendererType type;
    private volatile int restarts;
    private final Path storage;
    private final Logger log;
    private final Callbacks callbacks;
    private final Timing timing;
    private volatile String label;
    private final RendererLifecycle lifecycle;
    /** Adoptions so far: a start timeout set before one no longer applies. */
    private volatile int adoptions;
    private final ByteBudget budget;
    private final StderrRelay.LineRate logRate;
    private volatile StderrRelay stderr;
    private final AtomicInteger streams = new AtomicInteger();
    private final HealthCredits healthCredits = new HealthCredits(MAX_HEALTH_CREDITS);
    private final PendingAnswers execs = new PendingAnswers(FrameType.EXEC_RESULT, MAX_PENDING_EXECS);
    private final PendingAnswers bundleOps = new PendingAnswers(FrameType.BUNDLE_RESULT, MAX_PENDING_BUNDLE_OPS);
    private final Deferred<RendererInfo> gone = new Deferred<>();

    private volatile Process process;
    private volatile FramedChannel channel;
    private volatile SandboxLevel sandbox;
    private volatile RendererType.Resources resources = RendererType.Resources.NONE;
    private volatile Instant startedAt = Instant.now();
    private volatile Instant readyAt;
    private volatile long launchMicros;
    private volatile String startup = "";
    private volatile boolean responsive = true;
    private volatile long heapUsed = -1;
    private volatile long heapMax = -1;
    private volatile long pingSentNanos;
    private volatile long lastTickNanos;
    private volatile String failure = "";
    private volatile String killDetail = "";
    private volatile GoneReason goneReason;
    private volatile Integer exitCode;
    private volatile Messages.Health health;

    /** {@code spare}: a spare renderer, {@code type} one whose key it has, until a type adopts it. */
    RendererHost(int id, RendererType type, int restarts, Path storage, Logger log, Callbacks callbacks, Timing timing, boolean spare) {
        this.id = id;
        this.type = type;
        this.restarts = restarts;
        this.storage = storage;
        this.log = log;
        this.callbacks = callbacks;
        this.timing = timing;
        this.lifecycle = new RendererLifecycle(spare);
        this.label = spare ? "spare renderer " + id : "renderer " + id + " (" + type.name() + ")";
        this.budget = new ByteBudget("its buffer budget (buffer.mb = " + type.budget().bufferMb() + ")", type.budget().bufferBytes());
        this.logRate = new StderrRelay.LineRate(timing.logLinesPerSecond());
    }

    /**
     * Starts the JVM and opens its channel, over {@code rings} or, when null, the pipe; nothing is sent or
     * read until {@link #run}.
     */
    void start(SandboxedCommand command, RendererLaunch.Rings rings) throws IOException {
        sandbox = command.level();
        launchMicros = StartupPhases.nowMicros();
        resources = command.resources();
        SocketBell bell = rings == null ? null : bell();
        process = command.start(storage, environment(rings, bell));
        startedAt = Instant.now();
        if (rings == null) {
            channel = new FramedChannel("renderer " + id, process.getInputStream(), process.getOutputStream(),
                    limits(Contract.MAX_FRAME_BYTES), budget, new ChannelOwner());
        } else {
            RingTransport ring = RingTransport.of(rings.memory(), SharedRings.Side.MAIN, process.getInputStream(),
                    bell == null ? process.getOutputStream() : bell);
            channel = new FramedChannel("renderer " + id, ring.source(), ring.sink(), limits(ring.maxFrameBytes()), budget, new ChannelOwner());
        }
        channel.handle(FrameType.READY, m -> onReady(m.payload()));
        channel.handle(FrameType.SPARE, m -> onSpare(m.payload()));
        channel.handle(FrameType.FAILED, m -> onFailed(Messages.utf8(m.payload())));
        channel.handle(FrameType.PONG, m -> onPong(Messages.map(m.payload())));
        channel.handle(FrameType.EXEC_RESULT, m -> answered(execs, m));
        channel.handle(FrameType.BUNDLE_RESULT, m -> answered(bundleOps, m));
        channel.handle(FrameType.HEALTH, m -> onHealth(Messages.Health.decode(m.payload())));
    }

    /**
     * Main's doorbell socket in the renderer's folder, or null where it cannot be made (a folder path too long
     * for a Unix socket): then main rings over the renderer's stdin, from the channel's writer thread only.
     */
    private SocketBell bell() {
        Path path = storage.resolve(RendererLaunch.BELL_FILE);
        try {
            return SocketBell.listen(path);
        } catch (IOException | RuntimeException e) {
            log.debug("{}: main rings it over its stdin, not a Unix socket at {}: {}", label, path, e.toString());
            return null;
        }
    }

    private static Map<String, String> environment(RendererLaunch.Rings rings, SocketBell bell) {
        if (rings == null) {
            return Map.of();
        }
        return bell == null ? Map.of(Contract.CHANNEL_SHM_ENV, rings.file().toString())
                : Map.of(Contract.CHANNEL_SHM_ENV, rings.file().toString(), Contract.CHANNEL_BELL_ENV, bell.path().toString());
    }

    private FramedChannel.Limits limits(int maxFrameBytes) {
        return new FramedChannel.Limits(maxFrameBytes, Contract.MAX_MESSAGE_TO_MAIN, Contract.MAX_OPEN_MESSAGES_TO_MAIN,
                type.budget().bufferBytes());
    }

    /** What is sent to a renderer before its frames are read; on the renderer's own thread, which may wait for room. */
    private interface Feed {
        void send() throws IOException;
    }

    /**
     * Feeds the renderer its configuration, Cordon's runtime, its identity and its type's bundles, then reads its
     * frames; never blocks the caller.
     */
    void run(Map<String, String> frameworkProperties, List<Messages.BundleMessage> runtime, Map<String, String> identity,
             List<Messages.BundleMessage> bundles) {
        serve(() -> {
            configure(frameworkProperties, runtime);
            feedType(identity, bundles);
        });
    }

    /** Feeds a spare its configuration and Cordon's runtime and has it start them (WARM); it then waits for {@link #adopt}. */
    void runSpare(Map<String, String> frameworkProperties, List<Messages.BundleMessage> runtime) {
        serve(() -> {
            configure(frameworkProperties, runtime);
            channel.send(FrameType.WARM, 0, new byte[0]);
        });
    }

    /**
     * A type takes this spare as its renderer {@code id}; false when the spare no longer waits (it died, or is
     * being stopped). {@code registration} runs once it has its new identity and before its exit can be reported
     * (its GONE then finds it registered). Nothing is sent yet: main's RSA must know the renderer first
     * ({@link #feedAdopted}).
     */
    synchronized boolean adopt(int id, RendererType type, int restarts, Runnable registration) {
        if (!lifecycle.adopt()) {
            return false;
        }
        this.id = id;
        this.type = type;
        this.restarts = restarts;
        this.label = "renderer " + id + " (" + type.name() + ")";
        this.adoptions++;
        health = null; // its type's renderer reports its own, at READY
        healthCredits.grant();
        launchMicros = StartupPhases.nowMicros();
        startedAt = Instant.now();
        registration.run();
        return true;
    }

    /** Sends the adopted spare its identity, its type's bundles and START, off the caller's thread. */
    void feedAdopted(Map<String, String> identity, List<Messages.BundleMessage> bundles) {
        thread("cordon-renderer-" + id + "-adopt", () -> {
            try {
                feedType(identity, bundles);
            } catch (IOException e) {
                // the process is gone or going; exited() reports why
            }
        });
    }

    private void serve(Feed first) {
        stderr = new StderrRelay(process.getErrorStream(), logRate, line -> log.info("[{}] {}", logName(), line), lifecycle::outOfMemory);
        thread("cordon-renderer-" + id + "-stderr", stderr::run);
        thread("cordon-renderer-" + id + "-channel", () -> {
            try {
                first.send();
            } catch (IOException e) {
                return; // the process is gone or going; exited() reports why
            }
            channel.readLoop(message -> {
                throw new ProtocolException("unexpected frame " + message + " from a renderer");
            });
        });
        process.onExit().thenRun(this::exited);
    }

    private void configure(Map<String, String> frameworkProperties, List<Messages.BundleMessage> runtime) throws IOException {
        channel.sendWhenRoom(FrameType.CONFIG, 0, Messages.map(frameworkProperties), timing.startTimeoutMs());
        sendBundles(runtime);
    }

    private void feedType(Map<String, String> identity, List<Messages.BundleMessage> bundles) throws IOException {
        channel.send(FrameType.ADOPT, 0, Messages.map(identity));
        sendBundles(bundles);
        channel.send(FrameType.START, 0, new byte[0]);
    }

    private void sendBundles(List<Messages.BundleMessage> bundles) throws IOException {
        for (Messages.BundleMessage bundle : bundles) {
            channel.sendWhenRoom(FrameType.BUNDLE, streams.incrementAndGet(), bundle.encode(), timing.startTimeoutMs());
        }
    }

    /** Its type's name; {@code -} for a spare, which has none yet. */
    private String typeName() {
        return lifecycle.spare() ? "-" : type.name();
    }

    /** How its relayed log lines are prefixed: {@code renderer 3 markdown}, {@code spare renderer 4}. */
    private String logName() {
        return lifecycle.spare() ? "spare renderer " + id : "renderer " + id + " " + type.name();
    }

    /** The channel's reader reports how reading ended; any failure of a handler is the renderer's. */
    private final class ChannelOwner implements FramedChannel.Owner {
        @Override
        public void violation(String what) {
            badMessage(what);
        }

        @Override
        public void ended(IOException cause) {
            // The process is exiting; exited() reports why.
        }

        @Override
        public void error(Error error) {
            log.error("{}: handling its message raised {}; killing it", label, error.toString());
            badMessage("handling its message raised " + error);
        }
    }

    private void onReady(byte[] stamps) throws ProtocolException {
        switch (lifecycle.ready()) {
            case ACCEPT -> {
                startup = StartupPhases.format(StartupPhases.durations(launchMicros, Messages.map(stamps), StartupPhases.nowMicros()));
                readyAt = Instant.now();
                callbacks.ready(this);
            }
            case IGNORE -> log.debug("{}: READY after a stop was requested; ignored", label);
            case VIOLATION -> throw new ProtocolException("READY while " + lifecycle.state());
        }
    }

    private void onSpare(byte[] stamps) throws ProtocolException {
        switch (lifecycle.spareReady()) {
            case ACCEPT -> {
                startup = StartupPhases.format(StartupPhases.durations(launchMicros, Messages.map(stamps), StartupPhases.nowMicros()));
                callbacks.spare(this);
            }
            case IGNORE -> log.debug("{}: SPARE after a stop was requested; ignored", label);
            case VIOLATION -> throw new ProtocolException("SPARE while " + lifecycle.state() + (lifecycle.spare() ? "" : ", not a spare"));
        }
    }

    private void onFailed(String reason) throws ProtocolException {
        switch (lifecycle.failed()) {
            case ACCEPT -> {
                failure = summary(reason);
                log.error("{} failed to start: {} (its report follows)", label, failure);
                reason.lines().limit(MAX_FAILURE_LINES)
                        .forEach(line -> log.error("[{}] {}", logName(), Untrusted.text(line, StderrRelay.MAX_LINE)));
                process.destroyForcibly();
            }
            case IGNORE -> log.debug("{}: FAILED after a stop was requested; ignored", label);
            case VIOLATION -> throw new ProtocolException("FAILED while " + lifecycle.state());
        }
    }

    private void onPong(Map<String, String> stats) {
        pingSentNanos = 0;
        heapUsed = parse(stats.get("heap.used"));
        heapMax = parse(stats.get("heap.max"));
        if (!responsive) {
            responsive = true;
            callbacks.responsive(this, true);
        }
    }

    private void onHealth(Messages.Health report) throws ProtocolException {
        if (!healthCredits.take()) {
            throw new ProtocolException("HEALTH more often than main asked (one per heartbeat and hot-deploy operation)");
        }
        Messages.Health before = health;
        health = report;
        if (lifecycle.state() == RendererState.READY) {
            callbacks.health(this, before);
        }
    }

    private void answered(PendingAnswers pending, Frame message) throws ProtocolException {
        if (!pending.answer(message.stream(), Messages.Result.decode(message.payload()), streams.get())) {
            log.debug("{}: {} for stream {} came after main stopped waiting; dropped", label, FrameType.name(message.type()),
                    message.stream());
        }
    }

    /**
     * One supervisor tick: kills the renderer when it has not read its channel for the drain timeout, or
     * not answered a heartbeat for the kill timeout; else sends a heartbeat. Silence counts only while main
     * could send: after a stall of main's own (the ticks stopped), the wait for an answer starts again.
     */
    void heartbeat() {
        RendererState state = lifecycle.state();
        if (state != RendererState.READY && state != RendererState.SPARE) {
            return;
        }
        long now = System.nanoTime();
        if (lastTickNanos != 0 && now - lastTickNanos > TimeUnit.MILLISECONDS.toNanos(3 * timing.heartbeatMs())) {
            pingSentNanos = 0;
        }
        lastTickNanos = now;
        long stalledMs = channel.stalledMs();
        if (stalledMs > timing.drainTimeoutMs()) {
            unresponsive("stopped reading its channel: " + channel.queuedBytes() + " bytes waiting, none taken for " + stalledMs + " ms");
            return;
        }
        long sent = pingSentNanos;
        long silentMs = sent == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - sent);
        if (responsive && silentMs > timing.unresponsiveMs()) {
            responsive = false;
            callbacks.responsive(this, false);
        }
        if (timing.unresponsiveKillMs() > 0 && silentMs > timing.unresponsiveKillMs()) {
            unresponsive("has not answered a heartbeat for " + silentMs + " ms");
        } else if (sent == 0) {
            healthCredits.grant();
            // Noted before sending: over shared memory the PONG can be back before send() returns.
            pingSentNanos = now;
            if (!send(FrameType.PING, 0, new byte[0])) {
                pingSentNanos = 0;
            }
        }
    }

    private void unresponsive(String why) {
        if (lifecycle.unresponsive()) {
            killDetail = why;
            log.warn("{} {}; killing it", label, why);
            process.destroyForcibly();
        }
    }

    /** Runs a Gogo command in the renderer; fails after {@code timeoutMs} (the renderer is not trusted to answer). */
    Promise<String> exec(String command, long timeoutMs, ScheduledExecutorService timer) {
        return request(FrameType.EXEC, execs, Messages.utf8(command), timeoutMs, timer);
    }

    /**
     * Hot deploy: sends BUNDLE_INSTALL, BUNDLE_UPDATE or BUNDLE_UNINSTALL; resolves with the renderer's
     * answer once the bundle is active (or gone), fails with its reason, or after {@code timeoutMs}.
     */
    @Override
    public Promise<String> bundleOp(byte op, byte[] payload, long timeoutMs, ScheduledExecutorService timer) {
        healthCredits.grant();
        return request(op, bundleOps, payload, timeoutMs, timer);
    }

    private Promise<String> request(byte op, PendingAnswers pending, byte[] payload, long timeoutMs, ScheduledExecutorService timer) {
        RendererState now = lifecycle.state();
        if (now != RendererState.READY) {
            return Promises.failed(new IllegalStateException("renderer " + id + " is " + now + ", not READY"));
        }
        int stream = streams.incrementAndGet();
        return pending.request("renderer " + id, stream, () -> send(op, stream, payload), timeoutMs, timer);
    }

    /** Asks the renderer to shut down; the caller forces it after a timeout. */
    void stop() {
        if (lifecycle.stop() && !send(FrameType.SHUTDOWN, 0, new byte[0])) {
            process.destroyForcibly();
        }
    }

    void kill() {
        lifecycle.kill();
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** What to run once the start timeout has passed: fails the launch (or the adoption) still not READY (or SPARE) then. */
    Runnable startTimeout() {
        int adoption = adoptions;
        return () -> {
            if (adoption == adoptions && lifecycle.launchTimedOut()) {
                String wanted = lifecycle.spare() ? "SPARE" : "READY";
                failure = "not " + wanted + " within " + timing.startTimeoutMs() + " ms";
                log.error("{} was not {} within {} ms; killing it", label, wanted, timing.startTimeoutMs());
                process.destroyForcibly();
            }
        };
    }

    @Override
    public void badMessage(String what) {
        if (!lifecycle.badMessage()) {
            return;
        }
        FramedChannel c = channel;
        if (c != null) {
            c.stopReading();
        }
        killDetail = Untrusted.text(what, Untrusted.MAX_CHARS);
        log.audit("bad-message: renderer {} (type {}, pid {}) {}; killing it", id, typeName(), pid(), killDetail);
        process.destroyForcibly();
    }

    /** The renderer's channel for main's RSA: the frame types it handles are routed to it. */
    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public ByteBudget budget() {
        return budget;
    }

    private boolean send(byte type, int stream, byte[] payload) {
        try {
            channel.send(type, stream, payload);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Logs how many stderr lines the rate limit dropped, if any (the supervisor calls it each tick). */
    void flushDroppedLog() {
        StderrRelay relay = stderr;
        if (relay != null) {
            relay.flushDropped();
        }
    }

    private void exited() {
        int code = process.exitValue();
        exitCode = code;
        channel.close();
        synchronized (this) { // an adoption either completes first, or finds it gone
            goneReason = lifecycle.exited(code);
        }
        IllegalStateException failed = new IllegalStateException("renderer " + id + " is gone (" + goneReason.label() + ")");
        execs.failAll(failed);
        bundleOps.failAll(failed);
        callbacks.gone(this, goneReason, code, detail(code));
        gone.resolve(info());
    }

    private String detail(int code) {
        return switch (goneReason) {
            case LAUNCH_FAILED -> failure.isEmpty() ? "exit code " + code : failure;
            case BAD_MESSAGE, UNRESPONSIVE -> killDetail;
            default -> "exit code " + code;
        };
    }

    RendererInfo info() {
        long pid = pid();
        RendererState state = lifecycle.state();
        long rss = state == RendererState.GONE || pid < 0 ? -1 : ProcessStats.rssBytes(pid);
        return new RendererInfo(id, typeName(), pid, state, HealthChanges.of(health), startedAt, restarts, responsive, rss,
                heapUsed, heapMax, sandbox, goneReason, exitCode, resources);
    }

    /** The renderer's last HEALTH report, null before its first. */
    @Override
    public RendererHealth currentHealth() {
        return HealthChanges.of(health);
    }

    Messages.Health health() {
        return health;
    }

    @Override
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public RendererType type() {
        return type;
    }

    RendererLifecycle lifecycle() {
        return lifecycle;
    }

    int restarts() {
        return restarts;
    }

    @Override
    public RendererState state() {
        return lifecycle.state();
    }

    /** Where its start-up time went ({@link StartupPhases#format}), empty before READY. */
    String startup() {
        return startup;
    }

    Path storage() {
        return storage;
    }

    /** How long it has been READY, 0 if it never was. */
    long readyForMs() {
        Instant ready = readyAt;
        return ready == null ? 0 : Instant.now().toEpochMilli() - ready.toEpochMilli();
    }

    Promise<RendererInfo> whenGone() {
        return gone.getPromise();
    }

    /** The report's first line and its root cause (the last "Caused by:"), neutralised: one line for the log and the GONE detail. */
    private static String summary(String report) {
        List<String> lines = report.lines().map(String::strip).toList();
        String first = lines.isEmpty() ? "" : lines.get(0);
        String cause = lines.stream().filter(l -> l.startsWith("Caused by:")).reduce((a, b) -> b)
                .map(c -> "; " + c.substring("Caused by:".length()).strip()).orElse("");
        return Untrusted.text(first + cause, Untrusted.MAX_CHARS);
    }

    private static long parse(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void thread(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }
}
