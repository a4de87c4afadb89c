package io.cordon.common.rsa.codec;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

import org.osgi.framework.Version;

/**
 * The wire codec of one process side: Jackson, in {@link WireFormat#JSON} or {@link WireFormat#SMILE},
 * configured for hostile input. Thread-safe; create one per process side and share it.
 *
 * <p>Values are decoded only into the declared (generic) types of the remote method: no polymorphic or
 * default typing, Jackson annotations ignored, no scalar coercion (a string is never an int, a number
 * never a string, a float never truncated into an int, an integer token not taken for a double: doubles
 * travel as floating-point tokens), unknown properties, duplicate keys, null for a primitive, trailing
 * data and a wrong argument count all refused. {@link #forInterface} refuses, at export/import time,
 * every type outside the supported set: primitives and wrappers, String, OSGi Version, enums, arrays,
 * fully parameterized List/Set/Collection/Map, DTOs (public fields) and records.
 *
 * <p>Limits on every decode (Jackson's {@code StreamReadConstraints}); a document beyond one fails with
 * a {@link WireFormatException}:
 * <ul>
 * <li>nesting depth {@value #MAX_NESTING_DEPTH} (arrays and objects; the argument array is one level),
 *     also enforced when encoding, so a value the peer would refuse is refused before it is sent;</li>
 * <li>one string {@value #MAX_STRING_CHARS} chars: the base64 form of the largest {@code byte[]}
 *     ({@value #MAX_BINARY_BYTES} bytes, 16 MiB) plus 1 MiB of margin, so the largest string or
 *     {@code byte[]} is 16 MiB in either format;</li>
 * <li>one number {@value #MAX_NUMBER_CHARS} chars; one property name or map key {@value #MAX_NAME_CHARS} chars.</li>
 * </ul>
 * The size of a whole document is bounded by the transport's frame limit, not here: decoding takes the
 * bytes already in memory. Failures are bounded by {@link FailureInfo}'s limits.
 */
public final class Codec {

    /** Deepest nesting of arrays and objects in one document. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Largest {@code byte[]} the JSON format can carry within {@link #MAX_STRING_CHARS}: 16 MiB. */
    public static final int MAX_BINARY_BYTES = 16 * 1024 * 1024;
    /** Longest string token: base64 of {@link #MAX_BINARY_BYTES} plus 1 MiB of margin (23,418,200 chars). */
    public static final int MAX_STRING_CHARS = 4 * ((MAX_BINARY_BYTES + 2) / 3) + 1024 * 1024;
    /** Longest number token, in chars. */
    public static final int MAX_NUMBER_CHARS = 100;
    /** Longest property name or map key, in chars. */
    public static final int MAX_NAME_CHARS = 50_000;

    private final WireFormat format;
    private final FutureTask<Mappers> mappers;
    /** Codecs of Cordon's own protocol types, or the {@link IllegalArgumentException} that refuses one. */
    private final ClassValue<Object> protocol = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            return protocolCodec(type);
        }
    };

    /** Jackson's side of the codec: the mapper, and the codec of failures. */
    private record Mappers(WireMapper wire, ValueCodec failures) {
    }

    public Codec(WireFormat format) {
        this(format, Runnable::run);
    }

    /**
     * A codec whose Jackson mappers are built on {@code executor} (on a cold JVM, loading Jackson takes about
     * 100 ms), so that its owner's start-up goes on meanwhile; the first use waits for them, or builds them
     * itself if the executor has not started yet.
     */
    public Codec(WireFormat format, Executor executor) {
        this.format = Objects.requireNonNull(format, "format");
        this.mappers = new FutureTask<>(() -> {
            WireMapper wire = new WireMapper(format);
            return new Mappers(wire, ValueCodec.of(wire, FailureInfo.class));
        });
        executor.execute(mappers);
    }

    private Mappers mappers() {
        mappers.run(); // a no-op once it ran or while it runs elsewhere
        try {
            return mappers.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Jackson was being set up", e);
        }
    }

    private WireMapper wire() {
        return mappers().wire();
    }

    public WireFormat format() {
        return format;
    }

    /**
     * The codec for every public abstract method of {@code iface}, inherited ones included (default and
     * static methods and Object's methods are not remote). Throws naming the first unsupported method and
     * type. The result is immutable; callers cache it.
     */
    public InterfaceCodec forInterface(Class<?> iface) throws UnsupportedTypeException {
        return InterfaceCodec.build(wire(), iface);
    }

    /**
     * Encodes one of Cordon's own protocol values (an endpoint announcement …): a record, a DTO or a
     * {@code Map<String, Object>}. Inside them {@code Object} is allowed and travels as plain JSON values
     * (maps, lists, strings, numbers, booleans, null), never with a type name.
     *
     * @throws IllegalArgumentException if the value's class is not such a type
     */
    public byte[] encode(Object value) throws IOException {
        return protocol(value.getClass()).encode(value);
    }

    /**
     * Decodes one protocol value of exactly {@code type} (see {@link #encode}); a {@code Map} type decodes
     * as {@code Map<String, Object>} with plain JSON values.
     *
     * @throws IllegalArgumentException if {@code type} is not a record, DTO or map type
     */
    public <T> T decode(byte[] data, int offset, int length, Class<T> type) throws WireFormatException {
        return type.cast(protocol(type).decode(data, offset, length, type.getName()));
    }

    /** A failure as a {@link FailureInfo}, bounded (see {@link FailureInfo#from}). */
    public byte[] encodeFailure(Throwable t) throws IOException {
        return mappers().failures().encode(FailureInfo.from(t));
    }

    /** A failure from the peer; one beyond {@link FailureInfo}'s bounds is refused. */
    public FailureInfo decodeFailure(byte[] data, int offset, int length) throws WireFormatException {
        FailureInfo failure = (FailureInfo) mappers().failures().decode(data, offset, length, "failure");
        String violation = failure.violation();
        if (violation != null) {
            throw new WireFormatException("failure: " + violation);
        }
        return failure;
    }

    private ValueCodec protocol(Class<?> type) {
        Object codec = protocol.get(type);
        if (codec instanceof IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return (ValueCodec) codec;
    }

    private Object protocolCodec(Class<?> type) {
        WireMapper wire = wire();
        if (Map.class.isAssignableFrom(type)) {
            return ValueCodec.of(wire, wire.mapper.getTypeFactory().constructMapType(mapType(type), String.class, Object.class));
        }
        if (type.isInterface() || type.isArray() || type.isEnum() || type.isPrimitive() || TypeRules.isJdk(type) || type == Version.class) {
            return new IllegalArgumentException(type.getName() + " is not a protocol type: use a record, a DTO or a Map<String, Object>");
        }
        try {
            TypeRules.forProtocol().check(type, TypeRules.Position.NESTED, "the protocol value");
            return ValueCodec.of(wire, type);
        } catch (TypeRules.Refusal r) {
            return new IllegalArgumentException(r.describe("Cannot encode or decode " + type.getName()));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<? extends Map> mapType(Class<?> type) {
        return (Class<? extends Map>) type;
    }

    @Override
    public String toString() {
        return "Codec[" + format + "]";
    }
}
