package io.cordon.sample.api;

/**
 * A document rendered to HTML.
 *
 * @param id   the document
 * @param html the HTML
 * @param pid  the process that rendered it (a renderer JVM, not main)
 */
public record Rendering(String id, String html, long pid) {
}
