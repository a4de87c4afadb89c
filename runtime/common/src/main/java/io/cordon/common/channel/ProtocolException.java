package io.cordon.common.channel;

import java.io.IOException;

/** The peer sent something the protocol does not allow: a lying length, an oversized frame, garbage. */
public final class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
