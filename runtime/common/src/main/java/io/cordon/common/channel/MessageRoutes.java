package io.cordon.common.channel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Which handler receives each frame type, as {@link Channel#handle} sets it (null removes); thread-safe. */
public final class MessageRoutes {

    private final Map<Byte, Channel.MessageHandler> handlers = new ConcurrentHashMap<>();

    public void set(byte type, Channel.MessageHandler handler) {
        if (handler == null) {
            handlers.remove(type);
        } else {
            handlers.put(type, handler);
        }
    }

    /** The handler of {@code type}, or null. */
    public Channel.MessageHandler get(byte type) {
        return handlers.get(type);
    }
}
