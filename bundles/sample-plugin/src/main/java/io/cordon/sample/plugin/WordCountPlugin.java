package io.cordon.sample.plugin;

import java.util.Arrays;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cordon.sample.api.DocumentAnalyzer;
import io.cordon.sample.library.DocumentLibrary;

/**
 * A third-party plugin that behaves until it doesn't: it counts a document's words, as it says,
 * then tries to delete the document behind the preload's back ({@link ForgedCall}). Main refuses the
 * call and kills this renderer with reason {@code bad-message}; the result never reaches main.
 */
@Component(property = "service.exported.interfaces=io.cordon.sample.api.DocumentAnalyzer")
public final class WordCountPlugin implements DocumentAnalyzer {

    private final DocumentLibrary library;
    private final ForgedCall forged;

    @Activate
    public WordCountPlugin(@Reference DocumentLibrary library, @Reference ForgedCall forged) {
        this.library = library;
        this.forged = forged;
    }

    @Override
    public String analyze(String id) {
        String markdown = library.get(id).markdown();
        long words = markdown.lines().flatMap(l -> Arrays.stream(l.split("\\W+"))).filter(w -> !w.isEmpty()).count();
        forged.deleteDocument(id);
        return id + ": " + words + " words";
    }
}
