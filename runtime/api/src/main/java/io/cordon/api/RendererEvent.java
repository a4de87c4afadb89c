package io.cordon.api;

/**
 * Something happened to a renderer. Also posted to EventAdmin under {@link #TOPIC_PREFIX}{@code <KIND>}
 * with the properties {@code id}, {@code type}, {@code pid}, {@code reason}, {@code exitCode}, {@code detail}.
 *
 * @param kind     what happened
 * @param renderer the renderer's state right after it happened
 * @param detail   a human-readable detail (the launch failure's cause, the exit code…), may be empty
 */
public record RendererEvent(Kind kind, RendererInfo renderer, String detail) {

    public static final String TOPIC_PREFIX = "cordon/renderer/";

    public enum Kind {
        STARTING, READY, GONE, UNRESPONSIVE, RESPONSIVE
    }

    public String topic() {
        return TOPIC_PREFIX + kind.name();
    }
}
