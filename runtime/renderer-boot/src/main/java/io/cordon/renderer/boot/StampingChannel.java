package io.cordon.renderer.boot;

import java.io.IOException;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.StartupPhases;

/**
 * The channel as the renderer's bundles get it (an OSGi service): the same channel, which also stamps
 * the RSA handshake's two ends on the start-up clock (hello sent, main's endpoints all announced).
 */
final class StampingChannel implements Channel {

    private final Channel channel;
    private final StartupClock clock;

    StampingChannel(Channel channel, StartupClock clock) {
        this.channel = channel;
        this.clock = clock;
    }

    @Override
    public void send(byte type, int stream, byte[] message) throws IOException {
        if (type == FrameType.RSA_HELLO) {
            clock.mark(StartupPhases.RSA_HELLO);
        }
        channel.send(type, stream, message);
    }

    @Override
    public boolean runOnReader(Runnable task) {
        return channel.runOnReader(task);
    }

    @Override
    public void handle(byte type, MessageHandler handler) {
        if (type == FrameType.RSA_SYNCED && handler != null) {
            channel.handle(type, m -> {
                clock.mark(StartupPhases.RSA_SYNCED);
                handler.onMessage(m);
            });
        } else {
            channel.handle(type, handler);
        }
    }
}
