package io.cordon.common.rsa.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Version;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.TSFBuilder;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;

/**
 * The one Jackson configuration of the wire, for one {@link WireFormat}: strict, no annotations, no
 * polymorphic or default typing, bounded reads (see {@link Codec} for the limits), and the parser and
 * generator plumbing the codecs share.
 */
final class WireMapper {

    /** How much of Jackson's description of a problem goes into a {@link WireFormatException}. */
    private static final int MAX_DETAIL_CHARS = 200;

    final JsonFactory factory;
    final ObjectMapper mapper;

    WireMapper(WireFormat format) {
        StreamReadConstraints readLimits = StreamReadConstraints.builder()
                .maxNestingDepth(Codec.MAX_NESTING_DEPTH)
                .maxStringLength(Codec.MAX_STRING_CHARS)
                .maxNumberLength(Codec.MAX_NUMBER_CHARS)
                .maxNameLength(Codec.MAX_NAME_CHARS)
                .build();
        StreamWriteConstraints writeLimits = StreamWriteConstraints.builder().maxNestingDepth(Codec.MAX_NESTING_DEPTH).build();
        switch (format) {
            case JSON -> {
                JsonFactory json = configure(new JsonFactoryBuilder(), readLimits, writeLimits)
                        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                        .build();
                this.factory = json;
                this.mapper = configure(JsonMapper.builder(json), format);
            }
            case SMILE -> {
                SmileFactory smile = configure(SmileFactory.builder(), readLimits, writeLimits)
                        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                        .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
                        .build();
                this.factory = smile;
                this.mapper = configure(SmileMapper.builder(smile), format);
            }
            default -> throw new IllegalArgumentException(String.valueOf(format));
        }
    }

    private static <F extends JsonFactory, B extends TSFBuilder<F, B>> B configure(B builder, StreamReadConstraints read, StreamWriteConstraints write) {
        return builder.streamReadConstraints(read)
                .streamWriteConstraints(write)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION);
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M configure(B builder, WireFormat format) {
        // Annotations off: a DTO annotated @JsonTypeInfo, @JsonCreator, @JsonAnySetter … changes nothing.
        builder.disable(MapperFeature.USE_ANNOTATIONS)
                .disable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS) // public members only, no setAccessible
                .disable(MapperFeature.INFER_PROPERTY_MUTATORS, MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS,
                        MapperFeature.INFER_CREATOR_FROM_CONSTRUCTOR_PROPERTIES, MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES) // belt and braces: no typing is ever activated
                .enable(MapperFeature.USE_STATIC_TYPING) // the declared type decides what is written, not the runtime class
                .visibility(WireVisibility.INSTANCE);

        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES,
                        DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS, DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT, DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL,
                        DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE, SerializationFeature.WRITE_ENUMS_USING_TO_STRING,
                        SerializationFeature.WRITE_ENUMS_USING_INDEX, SerializationFeature.WRITE_ENUM_KEYS_USING_INDEX);

        // No scalar coercion: each logical type accepts only its own token shapes.
        Map<LogicalType, Set<CoercionInputShape>> natural = Map.of(
                LogicalType.Integer, EnumSet.of(CoercionInputShape.Integer),
                LogicalType.Float, EnumSet.of(CoercionInputShape.Float),
                LogicalType.Boolean, EnumSet.of(CoercionInputShape.Boolean),
                LogicalType.Textual, EnumSet.of(CoercionInputShape.String, CoercionInputShape.EmptyString),
                LogicalType.Enum, EnumSet.of(CoercionInputShape.String));
        Set<CoercionInputShape> scalarShapes = EnumSet.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString);
        for (LogicalType type : LogicalType.values()) {
            if (type == LogicalType.Untyped) {
                continue; // Object in Cordon's own protocol maps: whatever JSON natively is
            }
            builder.withCoercionConfig(type, config -> {
                for (CoercionInputShape shape : scalarShapes) {
                    if (!natural.getOrDefault(type, Set.of()).contains(shape)) {
                        config.setCoercion(shape, CoercionAction.Fail);
                    }
                }
            });
        }

        SimpleModule module = new SimpleModule("cordon-wire");
        module.addSerializer(Version.class, ToStringSerializer.instance); // "1.2.3.qualifier"
        module.addDeserializer(Version.class, new TokenDeserializer<>(Version.class, JsonToken.VALUE_STRING, LogicalType.OtherScalar, WireMapper::readVersion));
        module.addDeserializer(String.class, new TokenDeserializer<>(String.class, JsonToken.VALUE_STRING, LogicalType.Textual, (p, c) -> p.getText()));
        // byte[]: a base64 string in JSON, raw binary in Smile
        JsonToken binary = format == WireFormat.JSON ? JsonToken.VALUE_STRING : JsonToken.VALUE_EMBEDDED_OBJECT;
        module.addDeserializer(byte[].class, new TokenDeserializer<>(byte[].class, binary, LogicalType.Binary,
                (p, c) -> p.getBinaryValue(c.getBase64Variant())));
        return builder.addModule(module).build();
    }

    JavaType type(java.lang.reflect.Type t) {
        return mapper.getTypeFactory().constructType(t);
    }

    /** A reader for one value at the parser's current token; trailing data is checked by the caller ({@link #expectEnd}). */
    ObjectReader reader(JavaType t) {
        return mapper.readerFor(t).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    ObjectWriter writer(JavaType t) {
        return mapper.writerFor(t);
    }

    JsonParser parser(byte[] data, int offset, int length) throws IOException {
        return factory.createParser(data, offset, length);
    }

    JsonGenerator generator(OutputStream out) throws IOException {
        return factory.createGenerator(out);
    }

    /** Moves to the first token of a value, failing on an empty input. */
    static void expectValue(JsonParser p, String what) throws IOException {
        if (p.nextToken() == null) {
            throw new WireFormatException(what + ": no data");
        }
    }

    /** Fails unless the input ends after the value just read. */
    static void expectEnd(JsonParser p, String what) throws IOException {
        JsonToken t = p.nextToken();
        if (t != null) {
            throw new WireFormatException(what + ": unexpected " + t + " after the value" + at(p.currentLocation()));
        }
        // Smile ends a document at an end marker or a second header and would ignore what follows.
        int unread = p.releaseBuffered(OutputStream.nullOutputStream());
        if (unread > 0) {
            throw new WireFormatException(what + ": " + unread + " unread bytes after the value");
        }
    }

    /** {@code e}, a failure while decoding {@code what}, as a {@link WireFormatException} with a bounded message. */
    static WireFormatException malformed(String what, Throwable e) {
        if (e instanceof WireFormatException w) {
            return w;
        }
        if (e instanceof JacksonException j) {
            // Jackson quotes (part of) the offending value; keep only the start of its description, and no cause.
            StringBuilder message = new StringBuilder(what).append(": ").append(bounded(j.getOriginalMessage()));
            if (j instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                message.append(" (at ").append(bounded(m.getPathReference())).append(')');
            }
            return new WireFormatException(message.append(at(j.getLocation())).toString());
        }
        return new WireFormatException(what + ": " + e.getClass().getName() + ": " + bounded(e.getMessage()), e);
    }

    private static String at(JsonLocation l) {
        if (l == null) {
            return "";
        }
        return l.getByteOffset() >= 0 ? " [byte " + l.getByteOffset() + "]" : "";
    }

    static String bounded(String s) {
        if (s == null) {
            return "";
        }
        s = s.replace('\n', ' ');
        return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "…";
    }

    /** An OSGi {@link Version} from its exact string form (no surrounding whitespace). */
    private static Version readVersion(JsonParser p, DeserializationContext ctxt) throws IOException {
        String text = p.getText();
        try {
            return new Version(text);
        } catch (IllegalArgumentException e) {
            return (Version) ctxt.handleWeirdStringValue(Version.class, text, "not an OSGi version");
        }
    }

    /**
     * A scalar from one kind of token only, where Jackson's own deserializers accept more: its String
     * deserializer turns Smile binary into base64 text, its byte[] deserializer takes arrays of numbers
     * (and in Smile, base64 strings).
     */
    private static final class TokenDeserializer<T> extends StdScalarDeserializer<T> {
        private static final long serialVersionUID = 1L;

        /** Reads the value at the expected token. */
        interface Reader<T> {
            T read(JsonParser p, DeserializationContext ctxt) throws IOException;
        }

        private final JsonToken token;
        private final LogicalType logicalType;
        private final transient Reader<T> reader;

        TokenDeserializer(Class<T> type, JsonToken token, LogicalType logicalType, Reader<T> reader) {
            super(type);
            this.token = token;
            this.logicalType = logicalType;
            this.reader = reader;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(token)) {
                return reader.read(p, ctxt);
            }
            return (T) ctxt.handleUnexpectedToken(handledType(), p);
        }

        @Override
        public LogicalType logicalType() {
            return logicalType;
        }
    }
}
