package io.cordon.main.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.log.Logger;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;
import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameReader;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FrameWriter;
import io.cordon.common.channel.MessageAssembler;
import io.cordon.common.channel.MessageRoutes;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.ProtocolException;
import io.cordon.common.channel.StartupPhases;
import io.cordon.main.rsa.RendererLink;
import io.cordon.main.sandbox.SandboxedCommand;

/**
 * Main's side of one renderer process (Chromium's RenderProcessHost): launches the JVM, feeds it its
 * bundles, reads its frames on one thread and relays its stderr on another. Everything the renderer
 * sends is untrusted; a protocol violation kills it with reason {@code bad-message}.
 */
final class RendererHost implements RendererLink {

    /** What the supervisor hears from a host; called on the host's own threads. */
    interface Callbacks {
        void ready(RendererHost host);

        void responsive(RendererHost host, boolean responsive);

        void gone(RendererHost host, GoneReason reason, int exitCode, String detail);
    }

    static final int MAX_FRAME_BYTES = 1 << 20;
    /** The largest message a renderer may send: a 16 MiB RSA payload plus its encoding's overhead. */
    private static final int MAX_MESSAGE_BYTES = (16 << 20) + (64 << 10);
    /** Chunked messages a renderer may have open at once: RSA's large sends plus one exec result. */
    private static final int MAX_OPEN_MESSAGES = 4;
    private static final int MAX_PENDING_EXECS = 32;
    private static final int MAX_PENDING_BUNDLE_OPS = 16;
    private static final int MAX_LOG_LINE = 8192;

    private final int id;
    private final RendererType type;
    private final int restarts;
    private final Path storage;
    private final Logger log;
    private final Callbacks callbacks;
    private final AtomicInteger streams = new AtomicInteger();
    private final Map<Integer, Deferred<String>> execs = new ConcurrentHashMap<>();
    private final PendingAnswers bundleOps = new PendingAnswers(FrameType.BUNDLE_RESULT, MAX_PENDING_BUNDLE_OPS);
    private final Deferred<RendererInfo> gone = new Deferred<>();
    private final MessageRoutes routes = new MessageRoutes();
    private final Channel channel = new HostChannel();

    private volatile Process process;
    private volatile String sandbox = "-";
    private volatile FrameWriter writer;
    private volatile RendererState state = RendererState.STARTING;
    private volatile Instant startedAt = Instant.now();
    private volatile Instant readyAt;
    private volatile long launchMicros;
    private volatile String startup = "";
    private volatile long lastPongNanos = System.nanoTime();
    private volatile boolean responsive = true;
    private volatile long heapUsed = -1;
    private volatile long heapMax = -1;
    private volatile boolean launchFailed;
    private volatile boolean badMessage;
    private volatile boolean unresponsiveKill;
    private volatile boolean killRequested;
    private volatile boolean stopRequested;
    private volatile boolean outOfMemory;
    private volatile String failure = "";
    private volatile GoneReason goneReason;
    private volatile Integer exitCode;

    RendererHost(int id, RendererType type, int restarts, Path storage, Logger log, Callbacks callbacks) {
        this.id = id;
        this.type = type;
        this.restarts = restarts;
        this.storage = storage;
        this.log = log;
        this.callbacks = callbacks;
    }

    /** Launches the JVM and starts the threads that feed and read it; never blocks on the child. */
    void launch(SandboxedCommand command, Map<String, String> frameworkProperties, List<Messages.BundleMessage> bundles) throws IOException {
        sandbox = command.level().token();
        launchMicros = StartupPhases.nowMicros();
        process = command.start(storage);
        startedAt = Instant.now();
        writer = new FrameWriter(process.getOutputStream(), MAX_FRAME_BYTES);
        thread("cordon-renderer-" + id + "-stderr", this::relayStderr);
        thread("cordon-renderer-" + id + "-channel", () -> serve(frameworkProperties, bundles));
        process.onExit().thenRun(this::exited);
    }

    private void serve(Map<String, String> frameworkProperties, List<Messages.BundleMessage> bundles) {
        try {
            writer.send(FrameType.CONFIG, 0, Messages.map(frameworkProperties));
            for (Messages.BundleMessage bundle : bundles) {
                writer.send(FrameType.BUNDLE, streams.incrementAndGet(), bundle.encode());
            }
            writer.send(FrameType.START, 0, new byte[0]);
            readFrames();
        } catch (ProtocolException e) {
            badMessage("malformed frame: " + e.getMessage());
        } catch (IOException e) {
            // The process is gone or going; exited() reports why.
        }
    }

    private void readFrames() throws IOException {
        FrameReader reader = new FrameReader(process.getInputStream(), MAX_FRAME_BYTES);
        MessageAssembler assembler = new MessageAssembler(MAX_MESSAGE_BYTES, MAX_OPEN_MESSAGES);
        // After a bad message nothing more from this renderer is acted on, even what is already buffered.
        for (Frame frame = reader.read(); frame != null && !badMessage; frame = reader.read()) {
            Frame message = assembler.accept(frame);
            if (message != null) {
                dispatch(message);
            }
        }
    }

    private void dispatch(Frame message) throws IOException {
        switch (message.type()) {
            case FrameType.READY -> onReady(message.payload());
            case FrameType.FAILED -> onFailed(Messages.utf8(message.payload()));
            case FrameType.PONG -> onPong(Messages.map(message.payload()));
            case FrameType.EXEC_RESULT -> onExecResult(message.stream(), Messages.Result.decode(message.payload()));
            case FrameType.BUNDLE_RESULT -> bundleOps.answer(message.stream(), Messages.Result.decode(message.payload()));
            default -> {
                Channel.MessageHandler handler = routes.get(message.type());
                if (handler == null) {
                    throw new ProtocolException("unexpected frame " + message + " from a renderer");
                }
                handler.onMessage(message);
            }
        }
    }

    private void onReady(byte[] stamps) throws ProtocolException {
        if (state != RendererState.STARTING) {
            throw new ProtocolException("READY while " + state);
        }
        startup = StartupPhases.format(StartupPhases.durations(launchMicros, Messages.map(stamps), StartupPhases.nowMicros()));
        state = RendererState.READY;
        readyAt = Instant.now();
        lastPongNanos = System.nanoTime();
        callbacks.ready(this);
    }

    private void onFailed(String reason) throws ProtocolException {
        if (state != RendererState.STARTING) {
            throw new ProtocolException("FAILED while " + state);
        }
        failure = reason;
        launchFailed = true;
        log.error("renderer {} ({}) failed to start:\n{}", id, type.name(), reason);
        process.destroyForcibly();
    }

    private void onPong(Map<String, String> stats) {
        lastPongNanos = System.nanoTime();
        heapUsed = parse(stats.get("heap.used"));
        heapMax = parse(stats.get("heap.max"));
        if (!responsive) {
            responsive = true;
            callbacks.responsive(this, true);
        }
    }

    private void onExecResult(int stream, Messages.Result result) throws ProtocolException {
        Deferred<String> pending = execs.remove(stream);
        if (pending == null) {
            throw new ProtocolException("EXEC_RESULT for stream " + stream + ", which has no command pending");
        }
        if (result.status() == 0) {
            pending.resolve(result.text());
        } else {
            pending.fail(new IllegalStateException(result.text().strip()));
        }
    }

    private void relayStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (line.contains("java.lang.OutOfMemoryError")) {
                    outOfMemory = true;
                }
                String text = line.length() > MAX_LOG_LINE ? line.substring(0, MAX_LOG_LINE) + "…" : line;
                log.info("[renderer {} {}] {}", id, type.name(), text);
            }
        } catch (IOException e) {
            // stderr closes when the process exits
        }
    }

    /** Sends a heartbeat; marks the renderer unresponsive when the last answer is older than {@code unresponsiveMs}. */
    void heartbeat(long unresponsiveMs, long killAfterMs) {
        if (state != RendererState.READY) {
            return;
        }
        long silentMs = (System.nanoTime() - lastPongNanos) / 1_000_000;
        if (responsive && silentMs > unresponsiveMs) {
            responsive = false;
            callbacks.responsive(this, false);
        }
        if (killAfterMs > 0 && silentMs > killAfterMs) {
            log.warn("renderer {} ({}) has not answered a heartbeat for {} ms; killing it", id, type.name(), silentMs);
            unresponsiveKill = true;
            process.destroyForcibly();
            return;
        }
        send(FrameType.PING, 0, new byte[0]);
    }

    /** Runs a Gogo command in the renderer; fails after {@code timeoutMs} (the renderer is not trusted to answer). */
    Promise<String> exec(String command, long timeoutMs, ScheduledExecutorService timer) {
        Deferred<String> result = new Deferred<>();
        if (state != RendererState.READY) {
            result.fail(new IllegalStateException("renderer " + id + " is " + state + ", not READY"));
        } else if (execs.size() >= MAX_PENDING_EXECS) {
            result.fail(new IllegalStateException("renderer " + id + " already has " + MAX_PENDING_EXECS + " commands pending"));
        } else {
            int stream = streams.incrementAndGet();
            execs.put(stream, result);
            if (send(FrameType.EXEC, stream, Messages.utf8(command))) {
                timer.schedule(() -> expireExec(stream, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
            } else {
                execs.remove(stream);
                result.fail(new IllegalStateException("renderer " + id + " is not reachable"));
            }
        }
        return result.getPromise();
    }

    private void expireExec(int stream, long timeoutMs) {
        Deferred<String> pending = execs.remove(stream);
        if (pending != null) {
            pending.fail(new IllegalStateException("renderer " + id + " did not answer within " + timeoutMs + " ms"));
        }
    }

    /**
     * Hot deploy: sends BUNDLE_INSTALL, BUNDLE_UPDATE or BUNDLE_UNINSTALL; resolves with the renderer's
     * answer once the bundle is active (or gone), fails with its reason, or after {@code timeoutMs}.
     */
    Promise<String> bundleOp(byte op, byte[] payload, long timeoutMs, ScheduledExecutorService timer) {
        if (state != RendererState.READY) {
            return Promises.failed(new IllegalStateException("renderer " + id + " is " + state + ", not READY"));
        }
        int stream = streams.incrementAndGet();
        return bundleOps.request("renderer " + id, stream, () -> send(op, stream, payload), timeoutMs, timer);
    }

    /** Asks the renderer to shut down; the caller forces it after a timeout. */
    void stop() {
        stopRequested = true;
        if (state != RendererState.GONE) {
            state = RendererState.STOPPING;
        }
        if (!send(FrameType.SHUTDOWN, 0, new byte[0])) {
            process.destroyForcibly();
        }
    }

    void kill() {
        killRequested = true;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** Start-up took too long: treat as a failed launch. */
    void launchTimedOut(long timeoutMs) {
        if (state == RendererState.STARTING) {
            failure = "not READY within " + timeoutMs + " ms";
            launchFailed = true;
            log.error("renderer {} ({}) was not READY within {} ms; killing it", id, type.name(), timeoutMs);
            process.destroyForcibly();
        }
    }

    @Override
    public void badMessage(String what) {
        if (badMessage) {
            return;
        }
        badMessage = true;
        log.audit("bad-message: renderer {} (type {}, pid {}) {}; killing it", id, type.name(), pid(), what);
        process.destroyForcibly();
    }

    /** The renderer's channel for main's RSA: the frame types it handles are routed to it. */
    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public int maxFrameBytes() {
        return MAX_FRAME_BYTES;
    }

    private final class HostChannel implements Channel {
        @Override
        public void send(byte type, int stream, byte[] message) throws IOException {
            FrameWriter w = writer;
            if (w == null) {
                throw new IOException("renderer " + id + " is not launched");
            }
            w.send(type, stream, message);
        }

        @Override
        public void handle(byte type, MessageHandler handler) {
            routes.set(type, handler);
        }
    }

    private boolean send(byte type, int stream, byte[] payload) {
        try {
            writer.send(type, stream, payload);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void exited() {
        int code = process.exitValue();
        exitCode = code;
        try {
            writer.close();
        } catch (IOException e) {
            // the pipe is already broken: nothing left to flush
        }
        boolean everReady = readyAt != null;
        goneReason = GoneClassifier.classify(new GoneClassifier.Facts(code, everReady, launchFailed, badMessage,
                unresponsiveKill, killRequested, stopRequested, outOfMemory));
        state = RendererState.GONE;
        IllegalStateException failed = new IllegalStateException("renderer " + id + " is gone (" + goneReason.label() + ")");
        execs.values().forEach(d -> d.fail(failed));
        execs.clear();
        bundleOps.failAll(failed);
        String detail = goneReason == GoneReason.LAUNCH_FAILED && !failure.isEmpty() ? failure : "exit code " + code;
        callbacks.gone(this, goneReason, code, detail);
        gone.resolve(info());
    }

    RendererInfo info() {
        long pid = pid();
        long rss = state == RendererState.GONE || pid < 0 ? -1 : ProcessStats.rssBytes(pid);
        return new RendererInfo(id, type.name(), pid, state, startedAt, restarts, responsive, rss, heapUsed, heapMax,
                sandbox, goneReason, exitCode);
    }

    long pid() {
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

    /** True when main asked for SIGKILL (cordon:kill), as opposed to a kill from outside. */
    boolean killRequested() {
        return killRequested;
    }

    int restarts() {
        return restarts;
    }

    RendererState state() {
        return state;
    }

    Path storage() {
        return storage;
    }

    /** Where its start-up time went ({@link StartupPhases#format}), empty before READY. */
    String startup() {
        return startup;
    }

    /** How long it has been READY, 0 if it never was. */
    long readyForMs() {
        Instant ready = readyAt;
        return ready == null ? 0 : Instant.now().toEpochMilli() - ready.toEpochMilli();
    }

    Promise<RendererInfo> whenGone() {
        return gone.getPromise();
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
