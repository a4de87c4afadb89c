package io.cordon.common.channel;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Joins frames flagged {@link Frame#MORE} into whole messages, per stream. Bounded: a message may not
 * exceed {@code maxMessageBytes}, and at most {@code maxOpenMessages} may be incomplete at once,
 * so a peer cannot make the reader buffer without limit. Not thread-safe: one reader thread owns it.
 */
public final class MessageAssembler {

    private final int maxMessageBytes;
    private final int maxOpenMessages;
    private final Map<Long, ByteArrayOutputStream> open = new HashMap<>();

    public MessageAssembler(int maxMessageBytes, int maxOpenMessages) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxOpenMessages = maxOpenMessages;
    }

    /** The whole message once its last frame arrived, else null. */
    public Frame accept(Frame frame) throws ProtocolException {
        long key = ((long) frame.type() << 32) | (frame.stream() & 0xffffffffL);
        ByteArrayOutputStream partial = open.get(key);
        if (partial == null && !frame.more()) {
            return frame;
        }
        if (partial == null) {
            if (open.size() >= maxOpenMessages) {
                throw new ProtocolException("more than " + maxOpenMessages + " chunked messages open at once");
            }
            partial = new ByteArrayOutputStream();
            open.put(key, partial);
        }
        if ((long) partial.size() + frame.payload().length > maxMessageBytes) {
            throw new ProtocolException(FrameType.name(frame.type()) + " message on stream " + frame.stream()
                    + " exceeds the limit of " + maxMessageBytes + " bytes");
        }
        partial.writeBytes(frame.payload());
        if (frame.more()) {
            return null;
        }
        open.remove(key);
        return new Frame(frame.type(), frame.stream(), partial.toByteArray());
    }
}
