package io.cordon.sample.api;

/**
 * A Markdown document of the store.
 *
 * @param id       short name, the key in the store ({@code welcome})
 * @param title    its first heading, or the id when it has none
 * @param markdown the text
 */
public record Document(String id, String title, String markdown) {
}
