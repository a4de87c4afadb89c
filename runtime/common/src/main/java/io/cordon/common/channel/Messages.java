package io.cordon.common.channel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Payload encodings of the control frames. They stay in plain {@code DataOutput} form because the
 * renderer's bootstrap runs before any bundle (and so before Jackson) is available.
 */
public final class Messages {

    private static final int MAX_ENTRIES = 4096;

    private Messages() {
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static byte[] map(Map<String, String> map) {
        return write(out -> {
            out.writeInt(map.size());
            for (Map.Entry<String, String> e : map.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        });
    }

    public static Map<String, String> map(byte[] payload) throws ProtocolException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int size = in.readInt();
            if (size < 0 || size > MAX_ENTRIES) {
                throw new ProtocolException("map with " + size + " entries (limit " + MAX_ENTRIES + ")");
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                map.put(in.readUTF(), in.readUTF());
            }
            return map;
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new ProtocolException("malformed map payload: " + e);
        }
    }

    /** Outcome of a command: a status (0 ok, 1 failed) and its text. */
    public record Result(int status, String text) {

        public byte[] encode() {
            byte[] body = utf8(text);
            byte[] out = new byte[body.length + 1];
            out[0] = (byte) status;
            System.arraycopy(body, 0, out, 1, body.length);
            return out;
        }

        public static Result decode(byte[] payload) throws ProtocolException {
            if (payload.length == 0) {
                throw new ProtocolException("empty result payload");
            }
            return new Result(payload[0], new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8));
        }
    }

    /**
     * A bundle to install: its location, start level and jar bytes. With no bytes and a
     * {@code reference:file:} location, the renderer installs the jar in place from that file instead.
     */
    public record BundleMessage(String location, int startLevel, byte[] jar) {

        public static final String REFERENCE = "reference:file:";

        /** A jar the renderer installs in place from {@code fileUri} (a {@code file:} URI), without a copy. */
        public static BundleMessage byReference(String fileUri, int startLevel) {
            return new BundleMessage("reference:" + fileUri, startLevel, new byte[0]);
        }

        public boolean isReference() {
            return jar.length == 0 && location.startsWith(REFERENCE);
        }

        public byte[] encode() {
            byte[] head = write(out -> {
                out.writeUTF(location);
                out.writeInt(startLevel);
            });
            byte[] all = Arrays.copyOf(head, head.length + jar.length);
            System.arraycopy(jar, 0, all, head.length, jar.length);
            return all;
        }

        public static BundleMessage decode(byte[] payload) throws ProtocolException {
            try {
                ByteArrayInputStream bytes = new ByteArrayInputStream(payload);
                DataInputStream in = new DataInputStream(bytes);
                String location = in.readUTF();
                int startLevel = in.readInt();
                int headLength = payload.length - bytes.available();
                return new BundleMessage(location, startLevel, Arrays.copyOfRange(payload, headLength, payload.length));
            } catch (IOException e) {
                throw new ProtocolException("malformed bundle payload: " + e);
            }
        }
    }

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
