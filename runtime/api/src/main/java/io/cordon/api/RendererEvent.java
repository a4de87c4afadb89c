package io.cordon.api;

/**
 * Something happened to a renderer. Also posted to EventAdmin under {@link #TOPIC_PREFIX}{@code <KIND>}
 * with the properties {@code id}, {@code type}, {@code pid}, {@code health}, {@code reason} (when gone),
 * {@code exitCode} (when it exited), {@code detail}.
 *
 * @param kind     what happened
 * @param renderer the renderer's state right after it happened
 * @param detail   a human-readable detail (the launch failure's cause, the exit code, what is not working…), may be empty
 */
public record RendererEvent(Kind kind, RendererInfo renderer, String detail) {

    public static final String TOPIC_PREFIX = "cordon/renderer/";

    /**
     * EventAdmin topic (not a RendererEvent) of each bundle a renderer installed, updated or uninstalled by hot
     * deploy, once it answered; properties {@code id}, {@code type}, {@code pid}, {@code operation} ({@code install},
     * {@code update}, {@code uninstall}), {@code location}, {@code result} ({@code ok} or {@code failed}),
     * {@code detail}, {@code ms}, and the renderer's {@code health} after it.
     */
    public static final String BUNDLE_TOPIC = TOPIC_PREFIX + "BUNDLE";

    public enum Kind {
        /** Launched; receiving its bundles. */
        STARTING,
        /** Started; its {@link RendererInfo#health()} says whether it works. */
        READY,
        /** The process exited; {@link RendererInfo#gone()} says why. */
        GONE,
        /** Heartbeats go unanswered. */
        UNRESPONSIVE,
        /** Heartbeats are answered again. */
        RESPONSIVE,
        /** A bundle is not active or a component is unsatisfied (at READY or later); the detail names them. */
        DEGRADED,
        /** Degraded no more: every bundle active, every component satisfied. */
        HEALTHY
    }

    public String topic() {
        return TOPIC_PREFIX + kind.name();
    }
}
