package io.cordon.sample.api;

/** Renders a document of the store to HTML. Offered by the {@code markdown} renderers to main. */
public interface DocumentRenderer {

    Rendering render(String id);
}
