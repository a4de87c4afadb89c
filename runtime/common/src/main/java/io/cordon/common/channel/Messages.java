package io.cordon.common.channel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** A bundle to install: its location, start level and jar bytes. */
    public record BundleMessage(String location, int startLevel, byte[] jar) {

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

    /**
     * A renderer's health (HEALTH): what is not working; no problems when every bundle is active and every
     * enabled DS component is satisfied. Bounded both ways: {@link #of} truncates, {@link #decode} refuses more.
     */
    public record Health(List<Problem> problems, int omitted) {

        public static final int MAX_PROBLEMS = 32;
        public static final int MAX_TEXT = 256;
        public static final Health OK = new Health(List.of(), 0);
        /** In a renderer, the runtime bundle's health probe (a {@code Supplier<Health>}) is registered with this property {@code =probe}. */
        public static final String PROBE_PROPERTY = "cordon.renderer.health";

        public enum Kind {
            /** subject: the bundle; detail: its state. */
            BUNDLE_INACTIVE,
            /** subject: the component; detail: its missing references. */
            COMPONENT_UNSATISFIED,
            /** subject: the component; detail: why its activation failed. */
            COMPONENT_FAILED
        }

        public record Problem(Kind kind, String subject, String detail) {
        }

        public Health {
            problems = List.copyOf(problems);
        }

        /** The first {@link #MAX_PROBLEMS} problems, their texts cut to {@link #MAX_TEXT} characters. */
        public static Health of(List<Problem> all) {
            List<Problem> kept = all.stream().limit(MAX_PROBLEMS)
                    .map(p -> new Problem(p.kind(), cut(p.subject()), cut(p.detail()))).toList();
            return new Health(kept, all.size() - kept.size());
        }

        public boolean ok() {
            return problems.isEmpty() && omitted == 0;
        }

        public byte[] encode() {
            return write(out -> {
                out.writeInt(omitted);
                out.writeInt(problems.size());
                for (Problem p : problems) {
                    out.writeByte(p.kind().ordinal());
                    out.writeUTF(p.subject());
                    out.writeUTF(p.detail());
                }
            });
        }

        public static Health decode(byte[] payload) throws ProtocolException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
                int omitted = in.readInt();
                int count = in.readInt();
                if (omitted < 0 || count < 0 || count > MAX_PROBLEMS) {
                    throw new ProtocolException("health with " + count + " problems (limit " + MAX_PROBLEMS + ") and " + omitted + " omitted");
                }
                List<Problem> problems = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int kind = in.readUnsignedByte();
                    if (kind >= Kind.values().length) {
                        throw new ProtocolException("health problem of unknown kind " + kind);
                    }
                    problems.add(new Problem(Kind.values()[kind], text(in), text(in)));
                }
                if (in.available() > 0) {
                    throw new ProtocolException("health payload with " + in.available() + " bytes after its end");
                }
                return new Health(problems, omitted);
            } catch (ProtocolException e) {
                throw e;
            } catch (IOException e) {
                throw new ProtocolException("malformed health payload: " + e);
            }
        }

        private static String text(DataInputStream in) throws IOException {
            String text = in.readUTF();
            if (text.length() > MAX_TEXT) {
                throw new ProtocolException("health text of " + text.length() + " characters (limit " + MAX_TEXT + ")");
            }
            return text;
        }

        private static String cut(String text) {
            return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
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
