package io.cordon.api;

/** Life of a renderer process: STARTING → READY → STOPPING → GONE (STOPPING is skipped when it dies). */
public enum RendererState {
    /** The JVM is launched and receiving its bundles. */
    STARTING,
    /** Started: every bundle of its type is active; {@link RendererInfo#health()} says whether it works. */
    READY,
    /** Asked to stop; waiting for it to exit. */
    STOPPING,
    /** The process has exited; see {@link GoneReason}. */
    GONE
}
