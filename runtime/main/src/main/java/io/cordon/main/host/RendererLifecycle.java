package io.cordon.main.host;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;

/**
 * The one place that decides, for one renderer, what each thing that happens to it means: STARTING →
 * READY → STOPPING → GONE, why it is gone, and whether it comes back. Pure and thread-safe; the host
 * acts on its answers. A spare starts STARTING → SPARE (its runtime up, waiting for a type), and a type that
 * adopts it takes it on from STARTING: until then a READY is a violation, as is SPARE from anything else.
 *
 * <p>Two rules the supervisor must never break: a stop requested is a stop (whatever the renderer does
 * afterwards, it is GONE clean-exit, or killed if it had to be, never restarted and never audited), and
 * an honest renderer is not punished for timing: a READY or FAILED that arrives while it is being
 * stopped is dropped, not a bad message.
 */
final class RendererLifecycle {

    /** 128 + SIGKILL, as Java reports a process killed by signal 9. */
    static final int SIGKILL_STATUS = 137;

    /** What a message from the renderer means in the current state. */
    enum Verdict {
        /** Act on it. */
        ACCEPT,
        /** Drop it: it was honest but overtaken by a stop. */
        IGNORE,
        /** A protocol violation: the renderer could only send it on purpose. */
        VIOLATION
    }

    private RendererState state = RendererState.STARTING;
    /** Started as a spare and not adopted yet. */
    private boolean spare;
    private boolean everReady;
    private boolean launchFailed;
    private boolean badMessage;
    private boolean unresponsiveKill;
    private boolean killRequested;
    private boolean stopRequested;
    private boolean outOfMemory;
    private GoneReason gone;

    RendererLifecycle() {
        this(false);
    }

    /** {@code spare}: started without a type, to be adopted by one. */
    RendererLifecycle(boolean spare) {
        this.spare = spare;
    }

    synchronized RendererState state() {
        return state;
    }

    /** True while it is a spare: started as one and not adopted (whatever its state, GONE included). */
    synchronized boolean spare() {
        return spare;
    }

    /** SPARE arrived: the spare's runtime is up. */
    synchronized Verdict spareReady() {
        return switch (state) {
            case STARTING -> {
                if (!spare) {
                    yield Verdict.VIOLATION;
                }
                state = RendererState.SPARE;
                yield Verdict.ACCEPT;
            }
            case STOPPING, GONE -> Verdict.IGNORE;
            case SPARE, READY -> Verdict.VIOLATION;
        };
    }

    /** A type takes the spare; true when it was waiting (SPARE), which is STARTING again, as its type's renderer. */
    synchronized boolean adopt() {
        if (state != RendererState.SPARE) {
            return false;
        }
        spare = false;
        state = RendererState.STARTING;
        return true;
    }

    /** READY arrived. */
    synchronized Verdict ready() {
        return switch (state) {
            case STARTING -> {
                if (spare) {
                    yield Verdict.VIOLATION;
                }
                state = RendererState.READY;
                everReady = true;
                yield Verdict.ACCEPT;
            }
            case STOPPING, GONE -> Verdict.IGNORE;
            case SPARE, READY -> Verdict.VIOLATION;
        };
    }

    /** FAILED arrived: a start-up failure while STARTING (the host kills it), dropped while stopping. */
    synchronized Verdict failed() {
        return switch (state) {
            case STARTING -> {
                launchFailed = true;
                yield Verdict.ACCEPT;
            }
            case STOPPING, GONE -> Verdict.IGNORE;
            case SPARE, READY -> Verdict.VIOLATION;
        };
    }

    /** Main asks it to stop; true when SHUTDOWN should be sent now (not already stopping or gone). */
    synchronized boolean stop() {
        stopRequested = true;
        if (state == RendererState.STARTING || state == RendererState.READY || state == RendererState.SPARE) {
            state = RendererState.STOPPING;
            return true;
        }
        return false;
    }

    /** Main kills it (cordon:kill, or a stop that timed out). */
    synchronized void kill() {
        killRequested = true;
    }

    /** A protocol violation; true the first time (the host audits and kills once). */
    synchronized boolean badMessage() {
        if (badMessage || state == RendererState.GONE) {
            return false;
        }
        badMessage = true;
        return true;
    }

    /** It was not READY in time; true when it is to be killed as a failed launch. */
    synchronized boolean launchTimedOut() {
        if (state != RendererState.STARTING) {
            return false;
        }
        launchFailed = true;
        return true;
    }

    /** Main kills it for not answering heartbeats or not reading its channel; true unless starting, stopping or gone. */
    synchronized boolean unresponsive() {
        if (state != RendererState.READY && state != RendererState.SPARE) {
            return false;
        }
        unresponsiveKill = true;
        return true;
    }

    synchronized void outOfMemory() {
        outOfMemory = true;
    }

    /** The process exited with {@code exitCode}: GONE, and why (the first matching rule wins). */
    synchronized GoneReason exited(int exitCode) {
        state = RendererState.GONE;
        gone = classify(exitCode);
        return gone;
    }

    private GoneReason classify(int exitCode) {
        if (badMessage) {
            return GoneReason.BAD_MESSAGE;
        }
        if (stopRequested) {
            return killRequested ? GoneReason.KILLED : GoneReason.CLEAN_EXIT;
        }
        if (launchFailed) {
            return GoneReason.LAUNCH_FAILED;
        }
        if (unresponsiveKill) {
            return GoneReason.UNRESPONSIVE;
        }
        if (outOfMemory) {
            return GoneReason.OOM;
        }
        if (killRequested || exitCode == SIGKILL_STATUS) {
            return GoneReason.KILLED;
        }
        if (!everReady) {
            return GoneReason.LAUNCH_FAILED;
        }
        return exitCode == 0 ? GoneReason.CLEAN_EXIT : GoneReason.CRASHED;
    }

    /** True when a renderer gone this way comes back under {@code policy}. */
    synchronized boolean restartable(RendererType.RestartPolicy policy) {
        if (gone == null || stopRequested || policy != RendererType.RestartPolicy.ON_CRASH) {
            return false;
        }
        return switch (gone) {
            case CRASHED, KILLED, OOM, UNRESPONSIVE -> true;
            case CLEAN_EXIT, LAUNCH_FAILED, BAD_MESSAGE -> false;
        };
    }

    /** True when the way it went is what main asked for (logged at INFO rather than WARN). */
    synchronized boolean expected() {
        return gone == GoneReason.CLEAN_EXIT || (gone == GoneReason.KILLED && killRequested);
    }
}
