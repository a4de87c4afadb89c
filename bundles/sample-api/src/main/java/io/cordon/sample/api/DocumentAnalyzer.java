package io.cordon.sample.api;

/** A third-party plugin's analysis of a document. Offered by the {@code plugin} renderers to main. */
public interface DocumentAnalyzer {

    /** A one-line summary, e.g. {@code welcome: 212 words}. */
    String analyze(String id);
}
