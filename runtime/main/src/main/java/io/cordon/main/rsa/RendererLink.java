package io.cordon.main.rsa;

import io.cordon.api.RendererType;
import io.cordon.common.channel.Channel;

/** What main's RSA needs of one renderer process: its identity, its channel, and the kill switch. */
public interface RendererLink {

    int id();

    RendererType type();

    Channel channel();

    int maxFrameBytes();

    /** Kills the renderer with reason bad-message and one audit log line naming {@code what}. */
    void badMessage(String what);
}
