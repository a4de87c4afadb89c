package io.cordon.api;

import java.util.Locale;

/** Why a renderer is gone, like Electron's 'render-process-gone' reasons. */
public enum GoneReason {
    /** Exited with status 0, on request or by itself. */
    CLEAN_EXIT,
    /** Exited with a non-zero status or a signal other than SIGKILL. */
    CRASHED,
    /** Killed with SIGKILL ({@code cordon:kill}, or from outside). */
    KILLED,
    /** Ran out of heap (the JVM exits on the first OutOfMemoryError). */
    OOM,
    /** Never became READY: a bundle failed to install or start, or the JVM did not start. */
    LAUNCH_FAILED,
    /** Sent something outside the protocol; main killed it. */
    BAD_MESSAGE,
    /** Stopped answering heartbeats for longer than its type allows; main killed it. */
    UNRESPONSIVE;

    /** The reason as written in logs, events and the shell: {@code clean-exit}, {@code launch-failed}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
