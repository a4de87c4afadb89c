package io.cordon.common.rsa.codec;

/** The encoding of values on the wire; both sides of a channel must use the same one. */
public enum WireFormat {
    /** UTF-8 JSON; {@code byte[]} travels as a base64 string. */
    JSON,
    /** Jackson's binary Smile format; {@code byte[]} travels as raw binary (7-bit encoding disabled). */
    SMILE
}
