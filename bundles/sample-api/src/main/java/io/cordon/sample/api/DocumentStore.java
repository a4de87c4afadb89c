package io.cordon.sample.api;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Main's document store. Registered remotable in main; the sample renderer types' whitelist lets
 * them call {@link #list} and {@link #read} only.
 */
public interface DocumentStore {

    /** The ids of every document, sorted. */
    List<String> list();

    /** One document; {@link NoSuchElementException} when there is none with that id. */
    Document read(String id);

    /** Creates or replaces a document; the title is its first heading. */
    Document write(String id, String markdown);

    /** Removes a document; false when there was none. */
    boolean delete(String id);
}
