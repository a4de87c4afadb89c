package io.cordon.sample.markdown;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cordon.sample.api.DocumentRenderer;
import io.cordon.sample.api.Rendering;
import io.cordon.sample.library.DocumentLibrary;

/**
 * A renderer bundle: renders the store's Markdown to HTML with commonmark-java. It reads documents
 * through the preload's {@link DocumentLibrary}, and is itself remotable, so main (whose type config
 * {@code provides} DocumentRenderer) imports it and calls it over the renderer's channel.
 */
@Component(property = "service.exported.interfaces=io.cordon.sample.api.DocumentRenderer")
public final class MarkdownRenderer implements DocumentRenderer {

    private final DocumentLibrary library;
    // Both are immutable and thread-safe: one of each serves every call.
    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer html = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    @Activate
    public MarkdownRenderer(@Reference DocumentLibrary library) {
        this.library = library;
    }

    @Override
    public Rendering render(String id) {
        String markdown = library.get(id).markdown();
        return new Rendering(id, html.render(parser.parse(markdown)), ProcessHandle.current().pid());
    }
}
