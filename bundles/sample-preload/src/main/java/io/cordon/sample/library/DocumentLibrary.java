package io.cordon.sample.library;

import java.util.List;

import io.cordon.sample.api.Document;

/** Read-only access to main's documents, for renderer bundles. */
public interface DocumentLibrary {

    /** The ids of every document, sorted. */
    List<String> ids();

    /** One document; NoSuchElementException when there is none with that id. */
    Document get(String id);
}
