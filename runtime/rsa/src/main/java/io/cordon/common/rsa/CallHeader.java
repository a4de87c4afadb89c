package io.cordon.common.rsa;

import java.nio.ByteBuffer;

import io.cordon.common.channel.ProtocolException;

/**
 * The fixed part of RSA_CALL and RSA_RESULT payloads. A call is
 * {@code handle:int64 | method:int32 | arguments}; a result is {@code status:int8 | value or failure}.
 */
final class CallHeader {

    static final int CALL_BYTES = 12;
    static final byte OK = 0;
    static final byte FAILED = 1;

    private CallHeader() {
    }

    static byte[] call(long handle, int method, byte[] arguments) {
        return ByteBuffer.allocate(CALL_BYTES + arguments.length).putLong(handle).putInt(method).put(arguments).array();
    }

    static long handle(byte[] call) throws ProtocolException {
        if (call.length < CALL_BYTES) {
            throw new ProtocolException("RSA_CALL of " + call.length + " bytes is shorter than its " + CALL_BYTES + "-byte header");
        }
        return ByteBuffer.wrap(call).getLong(0);
    }

    static int method(byte[] call) {
        return ByteBuffer.wrap(call).getInt(8);
    }

    static byte[] result(byte status, byte[] body) {
        byte[] out = new byte[1 + body.length];
        out[0] = status;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    static byte status(byte[] result) throws ProtocolException {
        if (result.length < 1 || (result[0] != OK && result[0] != FAILED)) {
            throw new ProtocolException("RSA_RESULT without a valid status byte");
        }
        return result[0];
    }
}
