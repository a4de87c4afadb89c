package io.cordon.common.rsa.codec;

import java.io.IOException;

/**
 * Bytes from the peer that do not decode strictly into the declared types: malformed data, a value of
 * another type, a wrong number of arguments, unknown properties, trailing data, a limit exceeded. The
 * message says what was wrong and where; it quotes at most a couple of hundred characters of Jackson's
 * description, never the payload itself.
 */
public final class WireFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
