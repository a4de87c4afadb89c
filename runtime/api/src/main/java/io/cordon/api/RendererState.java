package io.cordon.api;

/**
 * Life of a renderer process: STARTING → READY → STOPPING → GONE (STOPPING is skipped when it dies). A spare
 * renderer goes STARTING → SPARE, and from there, once a type takes it, STARTING → READY under the type.
 */
public enum RendererState {
    /** The JVM is launched and receiving its bundles. */
    STARTING,
    /**
     * A spare renderer: its JVM, framework and Cordon's runtime are up, in its sandbox, waiting for a type;
     * {@link RendererInfo#type()} is {@code -}. A spawn or restart of a type with the same process settings
     * takes it.
     */
    SPARE,
    /** Started: every bundle of its type is active; {@link RendererInfo#health()} says whether it works. */
    READY,
    /** Asked to stop; waiting for it to exit. */
    STOPPING,
    /** The process has exited; see {@link GoneReason}. */
    GONE
}
