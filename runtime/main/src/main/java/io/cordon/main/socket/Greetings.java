package io.cordon.main.socket;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FrameWriter;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.ProtocolException;

/**
 * The greeting's frames (RSA_HELLO with a string map, the channel's wire format), read without read-ahead:
 * the channel's own reader takes the stream over right after them, and must not miss a byte.
 */
final class Greetings {

    /** A greeting is a few short strings. */
    private static final int MAX_GREETING_BYTES = 4096;

    private Greetings() {
    }

    static void write(OutputStream out, Map<String, String> greeting) throws IOException {
        new FrameWriter(out, MAX_GREETING_BYTES).send(FrameType.RSA_HELLO, 0, Messages.map(greeting));
    }

    static Map<String, String> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            int length = data.readInt();
            if (length < Frame.HEADER_BYTES || length > MAX_GREETING_BYTES) {
                throw new ProtocolException("a greeting frame of " + length + " bytes (limit " + MAX_GREETING_BYTES + ")");
            }
            byte type = data.readByte();
            byte flags = data.readByte();
            data.readInt();
            if (type != FrameType.RSA_HELLO || flags != 0) {
                throw new ProtocolException("expected a greeting, got a frame of type " + type);
            }
            byte[] payload = new byte[length - Frame.HEADER_BYTES];
            data.readFully(payload);
            return Messages.map(payload);
        } catch (EOFException e) {
            throw new IOException("the peer closed the connection during the greeting");
        }
    }
}
