package io.cordon.itests.rsa.api;

/** A curated service a preload bundle registers in the renderer on top of main's Echo (contextBridge style). */
public interface Shout {

    /** Main's echo of the text, upper-cased. */
    String shout(String text);
}
