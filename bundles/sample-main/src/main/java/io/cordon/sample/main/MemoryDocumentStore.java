package io.cordon.sample.main;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.cordon.sample.api.Document;
import io.cordon.sample.api.DocumentStore;

/**
 * The sample's document store, in main's memory, seeded from the bundle's {@code docs/*.md}. Marked
 * remotable ({@code service.exported.interfaces}): the first half of the double opt-in; each renderer
 * type's whitelist is the second.
 */
@Component(property = "service.exported.interfaces=io.cordon.sample.api.DocumentStore")
public final class MemoryDocumentStore implements DocumentStore {

    static final int MAX_DOCUMENTS = 1000;
    static final int MAX_CHARS = 256 * 1024;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final ConcurrentSkipListMap<String, Document> documents = new ConcurrentSkipListMap<>();

    @Activate
    public MemoryDocumentStore(BundleContext context) throws IOException {
        this(bundledDocuments(context));
    }

    /** A store holding {@code seed} (id → Markdown). */
    MemoryDocumentStore(Map<String, String> seed) {
        seed.forEach(this::write);
    }

    private static Map<String, String> bundledDocuments(BundleContext context) throws IOException {
        Map<String, String> documents = new TreeMap<>();
        for (URL url : Collections.list(context.getBundle().findEntries("docs", "*.md", false))) {
            String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            try (InputStream in = url.openStream()) {
                documents.put(name.substring(0, name.length() - ".md".length()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return documents;
    }

    @Override
    public List<String> list() {
        return List.copyOf(documents.keySet());
    }

    @Override
    public Document read(String id) {
        Document document = documents.get(id);
        if (document == null) {
            throw new NoSuchElementException("no document '" + id + "' (sample:docs lists them)");
        }
        return document;
    }

    @Override
    public Document write(String id, String markdown) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("document id '" + id + "': use 1-64 of a-z, 0-9 and '-', starting with a letter or digit");
        }
        if (markdown.length() > MAX_CHARS) {
            throw new IllegalArgumentException("document '" + id + "' has " + markdown.length() + " characters; at most " + MAX_CHARS);
        }
        if (!documents.containsKey(id) && documents.size() >= MAX_DOCUMENTS) {
            throw new IllegalStateException("the store holds " + MAX_DOCUMENTS + " documents, its limit; delete one first");
        }
        Document document = new Document(id, title(id, markdown), markdown);
        documents.put(id, document);
        return document;
    }

    @Override
    public boolean delete(String id) {
        return documents.remove(id) != null;
    }

    private static String title(String id, String markdown) {
        return markdown.lines().map(String::strip).filter(l -> l.startsWith("# ")).findFirst()
                .map(l -> l.substring(2).strip()).orElse(id);
    }
}
