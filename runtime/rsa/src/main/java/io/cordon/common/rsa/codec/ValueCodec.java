package io.cordon.common.rsa.codec;

import java.io.IOException;
import java.lang.reflect.Type;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Reads and writes values of one declared (generic) type, with the reader and writer built once. For
 * {@code void} and {@code Void} only {@code null} is written and accepted (Jackson's own {@code Void}
 * deserializer would skip any value).
 */
final class ValueCodec {

    private final WireMapper wire;
    private final ObjectReader reader; // null: null only
    private final ObjectWriter writer;

    private ValueCodec(WireMapper wire, ObjectReader reader, ObjectWriter writer) {
        this.wire = wire;
        this.reader = reader;
        this.writer = writer;
    }

    /** A codec for {@code type}, which must have passed {@link TypeRules}. */
    static ValueCodec of(WireMapper wire, Type type) {
        if (type == void.class || type == Void.class) {
            return new ValueCodec(wire, null, null);
        }
        var javaType = wire.type(type);
        return new ValueCodec(wire, wire.reader(javaType), wire.writer(javaType));
    }

    void write(JsonGenerator g, Object value) throws IOException {
        if (writer == null) {
            g.writeNull();
        } else {
            writer.writeValue(g, value);
        }
    }

    /** Reads the value that starts at the parser's current token, leaving the parser on its last token. */
    Object read(JsonParser p) throws IOException {
        if (reader == null) {
            if (!p.hasToken(JsonToken.VALUE_NULL)) {
                throw MismatchedInputException.from(p, Void.class, "expected null (no value), got " + p.currentToken());
            }
            return null;
        }
        return reader.readValue(p);
    }

    byte[] encode(Object value) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = wire.generator(out)) {
            write(g, value);
        }
        return out.toByteArray();
    }

    /** Decodes exactly one value filling {@code data[offset, offset + length)}; {@code what} names it in failures. */
    Object decode(byte[] data, int offset, int length, String what) throws WireFormatException {
        try (JsonParser p = wire.parser(data, offset, length)) {
            WireMapper.expectValue(p, what);
            Object value = read(p);
            WireMapper.expectEnd(p, what);
            return value;
        } catch (IOException | RuntimeException e) {
            throw WireMapper.malformed(what, e);
        }
    }
}
