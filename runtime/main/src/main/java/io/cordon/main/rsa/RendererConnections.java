package io.cordon.main.rsa;

import io.cordon.api.RendererType;


/** The supervisor tells main's RSA about renderer processes through this (private to io.cordon.main). */
public interface RendererConnections {

    /** A renderer is being launched; its channel carries RSA from its first frame. */
    void attach(RendererLink renderer);

    /** The renderer is gone: its calls in flight fail now and its endpoints are withdrawn. */
    void detach(RendererLink renderer, String reason);

    /** Framework properties every renderer gets, so both ends of a channel agree (timeout, wire format). */
    java.util.Map<String, String> rendererProperties();

    /** A type's whitelist may have changed: re-announce to its running renderers. */
    void typeChanged(RendererType type);
}
