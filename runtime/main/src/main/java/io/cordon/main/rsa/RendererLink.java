package io.cordon.main.rsa;

import io.cordon.api.RendererType;
import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Channel;

/** What main's RSA needs of one renderer process: its identity, its channel and budget, and the kill switch. */
public interface RendererLink {

    int id();

    RendererType type();

    Channel channel();

    /** The renderer's byte budget in main: its calls waiting to be served are charged to it. */
    ByteBudget budget();

    /** Kills the renderer with reason bad-message and one audit log line naming {@code what}. */
    void badMessage(String what);
}
