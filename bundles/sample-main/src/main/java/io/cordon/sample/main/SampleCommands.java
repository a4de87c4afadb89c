package io.cordon.sample.main;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.cordon.api.Renderers;
import io.cordon.sample.api.Document;
import io.cordon.sample.api.DocumentAnalyzer;
import io.cordon.sample.api.DocumentRenderer;
import io.cordon.sample.api.DocumentStore;
import io.cordon.sample.api.Rendering;

/**
 * The sample's shell commands (scope {@code sample}). The store is local; rendering and analysis
 * are calls into renderer processes, through the proxies main imported from them. Immediate, so the
 * turn that spreads renders over the renderers outlives each command.
 */
@Component(service = SampleCommands.class, immediate = true, property = {"osgi.command.scope=sample",
        "osgi.command.function=docs", "osgi.command.function=show", "osgi.command.function=write",
        "osgi.command.function=delete", "osgi.command.function=render", "osgi.command.function=analyze"})
public final class SampleCommands {

    private final DocumentStore store;
    private final AtomicInteger turn = new AtomicInteger();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Map.Entry<Map<String, Object>, DocumentRenderer>> renderers;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<Map.Entry<Map<String, Object>, DocumentAnalyzer>> analyzers;

    @Activate
    public SampleCommands(@Reference DocumentStore store) {
        this.store = store;
    }

    @Descriptor("the documents in main's store: ID TITLE CHARS")
    public String docs() {
        StringBuilder out = new StringBuilder(String.format("%-16s %-32s %s%n", "ID", "TITLE", "CHARS"));
        for (String id : store.list()) {
            Document d = store.read(id);
            out.append(String.format("%-16s %-32s %d%n", id, '"' + d.title() + '"', d.markdown().length()));
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("a document's Markdown, as main stores it")
    public String show(@Descriptor("document id") String id) {
        return store.read(id).markdown().stripTrailing();
    }

    @Descriptor("create or replace a document: each argument is one line of Markdown")
    public String write(@Descriptor("document id (a-z, 0-9, -)") String id,
            @Descriptor("lines of Markdown, e.g. \"# Title\" \"Some *text*.\"") String... lines) {
        Document d = store.write(id, String.join("\n", lines) + "\n");
        return "wrote " + d.id() + " \"" + d.title() + "\"";
    }

    @Descriptor("delete a document (main may; the renderers may not)")
    public String delete(@Descriptor("document id") String id) {
        return store.delete(id) ? "deleted " + id : "no document " + id;
    }

    @Descriptor("render a document to HTML in one of the markdown renderers (in turn)")
    public String render(@Descriptor("document id") String id) {
        Map.Entry<Map<String, Object>, DocumentRenderer> renderer = next(renderers, "markdown");
        Rendering rendering = renderer.getValue().render(id);
        return rendering.html().stripTrailing() + "\n<!-- rendered by " + who(renderer.getKey()) + ", pid "
                + rendering.pid() + "; main is pid " + ProcessHandle.current().pid() + " -->";
    }

    @Descriptor("analyze a document with the plugin renderer (a third-party plugin that misbehaves)")
    public String analyze(@Descriptor("document id") String id) {
        Map.Entry<Map<String, Object>, DocumentAnalyzer> plugin = next(analyzers, "plugin");
        try {
            return plugin.getValue().analyze(id) + " (by " + who(plugin.getKey()) + ")";
        } catch (RuntimeException e) {
            return "the plugin failed: " + e.getMessage() + "\n"
                    + "cordon:renderers shows why it is gone; the log has the AUDIT line; cordon:spawn plugin starts a new one";
        }
    }

    private <S> Map.Entry<Map<String, Object>, S> next(List<Map.Entry<Map<String, Object>, S>> available, String type) {
        List<Map.Entry<Map<String, Object>, S>> now = available;
        if (now == null || now.isEmpty()) {
            throw new IllegalStateException("no " + type + " renderer is running; cordon:types shows the type, cordon:spawn "
                    + type + " starts one");
        }
        return now.get(Math.floorMod(turn.getAndIncrement(), now.size()));
    }

    private static String who(Map<String, Object> proxy) {
        return "renderer " + proxy.get(Renderers.RENDERER_ID) + " (" + proxy.get(Renderers.RENDERER_TYPE) + ")";
    }
}
