package io.cordon.common.channel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins frames flagged {@link Frame#MORE} into whole messages, per stream. Bounded: a message may not
 * exceed {@code maxMessageBytes}, and at most {@code maxOpenMessages} may be incomplete at once,
 * so a peer cannot make the reader buffer without limit. Not thread-safe: one reader thread owns it.
 */
public final class MessageAssembler {

    private final int maxMessageBytes;
    private final int maxOpenMessages;
    private final ByteBudget budget;
    private final Map<Long, Partial> open = new HashMap<>();

    /**
     * One message so far. Large frames are kept as read and copied once, into an array of the exact
     * size, when the last one arrives: a growing buffer would copy a 1 MiB message three times. Smaller
     * frames are copied together as they come, so that a peer sending tiny frames cannot make the list
     * of parts grow beyond one per large frame.
     */
    private static final class Partial {
        static final int SHARED_BYTES = 64 * 1024;
        final List<byte[]> parts = new ArrayList<>();
        final ByteArrayOutputStream small = new ByteArrayOutputStream();
        long size;

        void add(byte[] payload) {
            if (payload.length < SHARED_BYTES) {
                small.writeBytes(payload);
            } else {
                endSmall();
                parts.add(payload);
            }
            size += payload.length;
        }

        private void endSmall() {
            if (small.size() > 0) {
                parts.add(small.toByteArray());
                small.reset();
            }
        }

        byte[] join() {
            endSmall();
            byte[] whole = new byte[(int) size];
            int offset = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, whole, offset, part.length);
                offset += part.length;
            }
            return whole;
        }
    }

    public MessageAssembler(int maxMessageBytes, int maxOpenMessages) {
        this(maxMessageBytes, maxOpenMessages, ByteBudget.unlimited());
    }

    /** Bytes of unfinished messages are charged to {@code budget} until the message is whole. */
    public MessageAssembler(int maxMessageBytes, int maxOpenMessages, ByteBudget budget) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxOpenMessages = maxOpenMessages;
        this.budget = budget;
    }

    /** The whole message once its last frame arrived, else null. */
    public Frame accept(Frame frame) throws ProtocolException {
        long key = ((long) frame.type() << 32) | (frame.stream() & 0xffffffffL);
        Partial partial = open.get(key);
        if (partial == null && !frame.more()) {
            return frame;
        }
        if (partial == null) {
            if (open.size() >= maxOpenMessages) {
                throw new ProtocolException("more than " + maxOpenMessages + " chunked messages open at once");
            }
            partial = new Partial();
            open.put(key, partial);
        }
        if (partial.size + frame.payload().length > maxMessageBytes) {
            throw new ProtocolException(FrameType.name(frame.type()) + " message on stream " + frame.stream()
                    + " exceeds the limit of " + maxMessageBytes + " bytes");
        }
        budget.charge(frame.payload().length, "an unfinished " + FrameType.name(frame.type()) + " message");
        partial.add(frame.payload());
        if (frame.more()) {
            return null;
        }
        open.remove(key);
        budget.release(partial.size);
        return new Frame(frame.type(), frame.stream(), partial.join());
    }
}
