package io.cordon.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register a service of this type to hear about every renderer's events, in order, on one
 * Cordon thread. Return quickly; a listener that throws is logged and keeps receiving.
 */
@ConsumerType
public interface RendererListener {
    void rendererEvent(RendererEvent event);
}
