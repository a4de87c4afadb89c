package io.cordon.common.channel;

/**
 * One unit on the channel: a type (see {@link FrameType}), flags, a stream id that ties requests to
 * replies, and an opaque payload. On the wire:
 * {@code length:int32 | type:int8 | flags:int8 | stream:int32 | payload}, where length counts
 * everything after itself and never exceeds the reader's limit.
 */
public record Frame(byte type, byte flags, int stream, byte[] payload) {

    /** Bytes after the length prefix that are not payload. */
    public static final int HEADER_BYTES = 6;

    /** Flag: more frames of the same message follow on this stream (a chunked message). */
    public static final byte MORE = 0x01;

    public Frame(byte type, int stream, byte[] payload) {
        this(type, (byte) 0, stream, payload);
    }

    public boolean more() {
        return (flags & MORE) != 0;
    }

    @Override
    public String toString() {
        return FrameType.name(type) + "[stream=" + stream + ", " + payload.length + " bytes" + (more() ? ", more" : "") + "]";
    }
}
