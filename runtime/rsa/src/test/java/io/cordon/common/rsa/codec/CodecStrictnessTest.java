package io.cordon.common.rsa.codec;

import static io.cordon.common.rsa.codec.CodecRoundTripTest.method;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

import io.cordon.common.rsa.codec.Fixtures.Annotated;
import io.cordon.common.rsa.codec.Fixtures.Calls;
import io.cordon.common.rsa.codec.Fixtures.Node;
import io.cordon.common.rsa.codec.Fixtures.Person;
import io.cordon.common.rsa.codec.Fixtures.Values;

/**
 * Decoding is strict: bytes that do not decode into exactly the declared types fail with a
 * {@link WireFormatException}, and only with that. The hostile payloads are written token by token with
 * a plain, unconstrained Jackson generator of the same format.
 */
@RunWith(Parameterized.class)
public class CodecStrictnessTest {

    @Parameters(name = "{0}")
    public static List<WireFormat> formats() {
        return List.of(WireFormat.values());
    }

    /** Writes tokens to a generator. */
    interface Tokens {
        void write(JsonGenerator g) throws IOException;
    }

    private final WireFormat format;
    private final Codec codec;
    private final InterfaceCodec values;
    private final InterfaceCodec calls;

    public CodecStrictnessTest(WireFormat format) throws UnsupportedTypeException {
        this.format = format;
        codec = new Codec(format);
        values = codec.forInterface(Values.class);
        calls = codec.forInterface(Calls.class);
    }

    private byte[] raw(Tokens tokens) throws IOException {
        JsonFactory factory = format == WireFormat.JSON ? new JsonFactory() : new SmileFactory();
        factory.setStreamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(100_000).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = factory.createGenerator(out)) {
            tokens.write(g);
        }
        return out.toByteArray();
    }

    /** The arguments array holding what {@code tokens} writes. */
    private byte[] args(Tokens tokens) throws IOException {
        return raw(array(tokens));
    }

    /** An array of what {@code elements} writes. */
    private static Tokens array(Tokens elements) {
        return g -> {
            g.writeStartArray();
            elements.write(g);
            g.writeEndArray();
        };
    }

    /** An object of the fields {@code fields} writes. */
    private static Tokens object(Tokens fields) {
        return g -> {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        };
    }

    private static WireFormatException refused(MethodCodec m, byte[] data) {
        try {
            Object[] decoded = m.decodeArguments(data, 0, data.length);
            throw new AssertionError(m + " decoded " + Arrays.deepToString(decoded));
        } catch (WireFormatException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(m.method().getDeclaringClass().getName() + "." + m.signature()));
            return e;
        }
    }

    private WireFormatException refused(String method, Tokens args) throws IOException {
        MethodCodec m = method(calls.methods().stream().anyMatch(c -> c.method().getName().equals(method)) ? calls : values, method);
        return refused(m, args(args));
    }

    private static void assertMentions(WireFormatException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage(), e.getMessage().contains(part));
        }
    }

    @Test
    public void stringWhereAnIntIsExpected() throws IOException {
        assertMentions(refused("takesInt", g -> g.writeString("1")), "argument 0 of " + Calls.class.getName() + ".takesInt(int)");
        refused("iW", g -> g.writeString("1"));
        refused("iW", g -> g.writeString(""));
        refused("takesLong", g -> g.writeString("1"));
        refused("takesDouble", g -> g.writeString("1.5"));
        refused("bool", g -> g.writeString("true"));
    }

    @Test
    public void numberWhereAStringIsExpected() throws IOException {
        refused("takesString", g -> g.writeNumber(1));
        refused("takesString", g -> g.writeNumber(1.5));
        refused("takesString", g -> g.writeBoolean(true));
        refused("takesString", object(g -> { /* empty */ }));
        refused("takesString", array(g -> g.writeString("a")));
    }

    @Test
    public void floatsDoNotTruncateIntoInts() throws IOException {
        refused("takesInt", g -> g.writeNumber(1.5));
        refused("takesInt", g -> g.writeNumber(1.0));
        refused("takesLong", g -> g.writeNumber(2.0));
        refused("b", g -> g.writeNumber(1.0));
    }

    @Test
    public void noOtherScalarCoercions() throws IOException {
        refused("bool", g -> g.writeNumber(1));
        refused("takesDouble", g -> g.writeNumber(1)); // doubles travel as floating-point tokens
        refused("c", g -> g.writeNumber(65));
        refused("c", g -> g.writeString("ab"));
        refused("takesInt", g -> g.writeNumber(1L << 31));
        refused("takesInt", g -> g.writeBoolean(false));
    }

    @Test
    public void enumsByNameOnly() throws IOException {
        refused("color", g -> g.writeString("PURPLE"));
        refused("color", g -> g.writeString("red"));
        refused("color", g -> g.writeString("1"));
        refused("color", g -> g.writeNumber(1));
        refused("color", g -> g.writeString(""));
    }

    @Test
    public void versionsInTheirExactSyntax() throws IOException {
        refused("version", g -> g.writeString("1.x"));
        refused("version", g -> g.writeString(" 1.0"));
        refused("version", g -> g.writeNumber(1));
        refused("version", g -> g.writeNumber(1.0));
    }

    @Test
    public void binaryAndStringsDoNotMix() throws IOException {
        refused("takesBytes", array(g -> g.writeNumber(1)));
        refused("takesBytes", g -> g.writeNumber(1));
        if (format == WireFormat.SMILE) {
            refused("takesString", g -> g.writeBinary(new byte[] {1, 2}));
            refused("takesBytes", g -> g.writeString("AQI="));
        } else {
            refused("takesBytes", g -> g.writeString("!not base64!"));
        }
    }

    @Test
    public void collectionsAndObjectsFromScalarsAreRefused() throws IOException {
        refused("list", g -> g.writeString("a"));
        refused("list", g -> g.writeString(""));
        refused("dto", g -> g.writeString(""));
        refused("dto", g -> g.writeString("Ada"));
        refused("named", g -> g.writeString("Ada")); // its Named(String) constructor is not a creator
        refused("dto", array(g -> { /* empty */ }));
        refused("intKeys", object(g -> g.writeStringField("x", "not an int key")));
        refused("enumKeys", object(g -> g.writeNumberField("PURPLE", 1.0)));
    }

    @Test
    public void encodingAValueOfAnotherTypeFails() {
        for (Object wrong : new Object[] {"1", 1L, 1.0}) {
            try {
                method(calls, "takesInt").encodeArguments(new Object[] {wrong});
                fail("encoded " + wrong + " as an int");
            } catch (IOException expected) {
                // refused by the declared type's serializer
            }
        }
    }

    @Test
    public void wrongArgumentCounts() throws IOException {
        MethodCodec two = method(calls, "takesTwo");
        assertMentions(refused(two, method(calls, "takesThree").encodeArguments(new Object[] {"a", 1, 2})), "more than 2 values");
        assertMentions(refused(two, method(calls, "takesString").encodeArguments(new Object[] {"a"})), "got 1 of 2 values");
        assertMentions(refused(two, method(calls, "nothing").encodeArguments(null)), "got 0 of 2 values");
        refused(method(calls, "nothing"), method(calls, "takesString").encodeArguments(new Object[] {"a"}));
        assertMentions(refused(two, raw(g -> g.writeString("a"))), "expected an array of 2 values");
        refused(two, raw(object(g -> { /* empty */ })));
        try {
            two.encodeArguments(new Object[] {"a"});
            fail();
        } catch (IllegalArgumentException expected) {
            assertMentions(new WireFormatException(expected.getMessage()), "takes 2 arguments, got 1");
        }
    }

    @Test
    public void trailingDataAfterTheArguments() throws IOException {
        MethodCodec m = method(calls, "takesString");
        byte[] one = m.encodeArguments(new Object[] {"a"});
        byte[] twice = new byte[one.length * 2];
        System.arraycopy(one, 0, twice, 0, one.length);
        System.arraycopy(one, 0, twice, one.length, one.length);
        assertMentions(refused(m, twice), "after the value");
        byte[] garbage = Arrays.copyOf(one, one.length + 3);
        garbage[one.length] = 'x';
        garbage[one.length + 1] = (byte) 0xFE;
        garbage[one.length + 2] = '"';
        refused(m, garbage);
        if (format == WireFormat.JSON) {
            refused(m, "[\"a\"] ]".getBytes(StandardCharsets.UTF_8));
            refused(m, "[\"a\"] 1".getBytes(StandardCharsets.UTF_8));
            assertEquals("a", m.decodeArguments("[\"a\"] \n".getBytes(StandardCharsets.UTF_8), 0, 6)[0]); // whitespace is not data
        }
        byte[] result = m.encodeResult(null);
        byte[] resultTwice = Arrays.copyOf(result, result.length * 2);
        System.arraycopy(result, 0, resultTwice, result.length, result.length);
        try {
            method(calls, "promise").decodeResult(resultTwice, 0, resultTwice.length);
            fail();
        } catch (WireFormatException expected) {
            assertMentions(expected, "result of ");
        }
    }

    /** One Node level is an object and its children array: two nesting levels. */
    private static void deepTree(JsonGenerator g, int levels) throws IOException {
        for (int i = 0; i < levels; i++) {
            g.writeStartObject();
            g.writeStringField("name", "n" + i);
            g.writeFieldName("children");
            g.writeStartArray();
        }
        for (int i = 0; i < levels; i++) {
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    @Test
    public void nestingDeeperThanTheLimit() throws IOException {
        MethodCodec tree = method(values, "tree");
        int levels = Codec.MAX_NESTING_DEPTH / 2 + 1;
        assertMentions(refused(tree, args(g -> deepTree(g, levels))), "nesting depth");
        byte[] deepest = args(g -> deepTree(g, (Codec.MAX_NESTING_DEPTH - 1) / 2)); // the argument array is one level
        assertEquals(1, tree.decodeArguments(deepest, 0, deepest.length).length);
        refused(tree, args(g -> deepTree(g, 5_000))); // fails fast, no stack overflow
        refused("takesString", g -> {
            for (int i = 0; i < 5_000; i++) {
                g.writeStartArray();
            }
            for (int i = 0; i < 5_000; i++) {
                g.writeEndArray();
            }
        });
        try {
            tree.encodeArguments(new Object[] {Node.chain(levels)});
            fail("encoded what the peer must refuse");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nesting depth"));
        }
    }

    @Test
    public void hugeNumbers() throws IOException {
        String digits = "1" + "0".repeat(200);
        WireFormatException e = refused("takesLong", g -> g.writeNumber(new BigInteger(digits)));
        if (format == WireFormat.JSON) {
            assertMentions(e, "exceeds the maximum");
        }
        refused("takesLong", g -> g.writeNumber(Long.MAX_VALUE + "0"));
        refused("takesInt", g -> g.writeNumber(digits));
    }

    @Test
    public void stringsLongerThanTheLimit() throws IOException {
        String big = "x".repeat(Codec.MAX_STRING_CHARS + 1);
        assertMentions(refused("takesString", g -> g.writeString(big)), "exceeds the maximum");
    }

    @Test
    public void nullOnlyForReferenceTypes() throws IOException {
        refused("takesInt", JsonGenerator::writeNull);
        refused("bool", JsonGenerator::writeNull);
        refused("ints", array(g -> {
            g.writeNumber(1);
            g.writeNull();
        }));
        MethodCodec str = method(calls, "takesString");
        assertArrayEquals(new Object[] {null}, str.decodeArguments(args(JsonGenerator::writeNull), 0, args(JsonGenerator::writeNull).length));
        MethodCodec returnsInt = method(calls, "returnsInt");
        byte[] nullResult = returnsInt.encodeResult(null);
        try {
            returnsInt.decodeResult(nullResult, 0, nullResult.length);
            fail();
        } catch (WireFormatException expected) {
            assertMentions(expected, "result of " + Calls.class.getName() + ".returnsInt()");
        }
        MethodCodec promise = method(calls, "promise");
        assertNull(promise.decodeResult(nullResult, 0, nullResult.length));
        // a void result is null and nothing else
        byte[] text = promise.encodeResult("x");
        try {
            method(calls, "nothing").decodeResult(text, 0, text.length);
            fail();
        } catch (WireFormatException expected) {
            assertMentions(expected, "expected null");
        }
    }

    @Test
    public void classNamesInPayloadsAreJustData() throws IOException {
        Tokens processBuilder = object(g -> {
            g.writeStringField("@class", "java.lang.ProcessBuilder");
            g.writeStringField("name", "Ada");
        });
        // For a DTO parameter it is an unknown property …
        assertMentions(refused("dto", processBuilder), "@class");
        // … for a Map<String, String> it is just a key.
        MethodCodec strings = method(values, "strings");
        byte[] data = args(processBuilder);
        assertEquals(Map.of("@class", "java.lang.ProcessBuilder", "name", "Ada"), strings.decodeArguments(data, 0, data.length)[0]);
    }

    @Test
    public void annotationsCannotTurnOnPolymorphicTyping() throws IOException {
        MethodCodec m = method(values, "annotated");
        Annotated a = new Annotated();
        a.value = "v";
        byte[] wire = m.encodeArguments(new Object[] {a});
        if (format == WireFormat.JSON) {
            assertEquals("[{\"value\":\"v\"}]", new String(wire, StandardCharsets.UTF_8));
        }
        assertEquals("v", ((Annotated) m.decodeArguments(wire, 0, wire.length)[0]).value);
        assertMentions(refused("annotated", object(g -> {
            g.writeStringField("@class", "java.lang.ProcessBuilder");
            g.writeStringField("value", "v");
        })), "@class");
        Tokens emptyObject = object(g -> { /* empty */ });
        refused("annotated", array(g -> { // the WRAPPER_ARRAY shape of type information
            g.writeString("java.lang.ProcessBuilder");
            emptyObject.write(g);
        }));
    }

    @Test
    public void unknownDuplicateAndMissingProperties() throws IOException {
        refused("dto", object(g -> {
            g.writeStringField("name", "a");
            g.writeStringField("name", "b");
        }));
        refused("dto", object(g -> g.writeStringField("notOnTheWire", "transient fields are not properties")));
        refused("derived", object(g -> g.writeNumberField("hidden", 1))); // only behind a getter/setter pair
        // records: every component, nothing else
        refused("record", object(g -> g.writeNumberField("id", 1)));
        MethodCodec record = method(values, "record");
        byte[] order = record.encodeResult(CodecRoundTripTest.order());
        Map<?, ?> asMap = codec.decode(order, 0, order.length, Map.class);
        assertEquals(Set.of("id", "customer", "lines", "schema", "colors"), asMap.keySet());
        refused("record", object(g -> {
            g.writeNumberField("id", 1);
            g.writeNullField("customer");
            g.writeNullField("lines");
            g.writeNullField("schema");
            g.writeNullField("colors");
            g.writeNumberField("extra", 1);
        }));
    }

    @Test
    public void messagesDoNotDumpThePayload() throws IOException {
        String payload = "P".repeat(5_000);
        WireFormatException e = refused("takesInt", g -> g.writeString(payload));
        assertFalse(e.getMessage(), e.getMessage().contains("P".repeat(300)));
        assertTrue(e.getMessage(), e.getMessage().length() < 600);
        assertNull(e.getCause());
    }

    @Test
    public void emptyAndGarbageInputs() throws IOException {
        Random random = new Random(3);
        MethodCodec record = method(values, "record");
        MethodCodec greet = method(calls, "greet");
        byte[] valid = record.encodeArguments(new Object[] {CodecRoundTripTest.order()});
        byte[] validResult = record.encodeResult(CodecRoundTripTest.order());
        byte[] validFailure = codec.encodeFailure(new IllegalStateException("boom"));
        byte[][] inputs = new byte[3_000][];
        inputs[0] = new byte[0];
        inputs[1] = new byte[] {0};
        inputs[2] = ":)\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 3; i < inputs.length; i++) {
            byte[] base = i % 3 == 0 ? valid : i % 3 == 1 ? validResult : validFailure;
            byte[] b;
            switch (i % 4) {
                case 0 -> { // random bytes
                    b = new byte[random.nextInt(64)];
                    random.nextBytes(b);
                }
                case 1 -> b = Arrays.copyOf(base, random.nextInt(base.length)); // truncated
                default -> { // a few flipped bytes
                    b = base.clone();
                    for (int k = 0; k < 1 + random.nextInt(3); k++) {
                        b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
            }
            inputs[i] = b;
        }
        for (byte[] input : inputs) {
            onlyWireFormatException(() -> record.decodeArguments(input, 0, input.length));
            onlyWireFormatException(() -> greet.decodeArguments(input, 0, input.length));
            onlyWireFormatException(() -> record.decodeResult(input, 0, input.length));
            onlyWireFormatException(() -> codec.decodeFailure(input, 0, input.length));
            onlyWireFormatException(() -> codec.decode(input, 0, input.length, Person.class));
            onlyWireFormatException(() -> codec.decode(input, 0, input.length, Map.class));
        }
        try {
            greet.decodeArguments(new byte[0], 0, 0);
            fail();
        } catch (WireFormatException expected) {
            assertMentions(expected, "no data");
        }
    }

    interface Decode {
        Object run() throws WireFormatException;
    }

    private static void onlyWireFormatException(Decode decode) {
        try {
            decode.run();
        } catch (WireFormatException expected) {
            // the only exception a decoder throws
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoding threw " + e, e);
        }
    }
}
