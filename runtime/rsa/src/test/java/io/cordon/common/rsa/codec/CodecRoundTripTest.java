package io.cordon.common.rsa.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.osgi.framework.Version;

import io.cordon.common.rsa.codec.Fixtures.Address;
import io.cordon.common.rsa.codec.Fixtures.Calls;
import io.cordon.common.rsa.codec.Fixtures.Child;
import io.cordon.common.rsa.codec.Fixtures.Color;
import io.cordon.common.rsa.codec.Fixtures.Derived;
import io.cordon.common.rsa.codec.Fixtures.Line;
import io.cordon.common.rsa.codec.Fixtures.Node;
import io.cordon.common.rsa.codec.Fixtures.Order;
import io.cordon.common.rsa.codec.Fixtures.People;
import io.cordon.common.rsa.codec.Fixtures.Person;
import io.cordon.common.rsa.codec.Fixtures.Protocol;
import io.cordon.common.rsa.codec.Fixtures.Values;

/** Every supported type survives encode + decode, as argument and as result, in both formats. */
@RunWith(Parameterized.class)
public class CodecRoundTripTest {

    @Parameters(name = "{0}")
    public static List<WireFormat> formats() {
        return List.of(WireFormat.values());
    }

    private final Codec codec;
    private final InterfaceCodec values;
    private final InterfaceCodec calls;

    public CodecRoundTripTest(WireFormat format) throws UnsupportedTypeException {
        codec = new Codec(format);
        values = codec.forInterface(Values.class);
        calls = codec.forInterface(Calls.class);
    }

    static MethodCodec method(InterfaceCodec ic, String name) {
        return ic.methods().stream().filter(m -> m.method().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no method " + name));
    }

    /** {@code value} as the single argument and as the result of {@code name}; returns the decoded argument. */
    private Object roundTrip(String name, Object value) throws Exception {
        MethodCodec m = method(values, name);
        byte[] args = m.encodeArguments(new Object[] {value});
        Object[] decoded = m.decodeArguments(args, 0, args.length);
        assertEquals(1, decoded.length);
        assertDeepEquals(name + " argument", value, decoded[0]);
        byte[] result = m.encodeResult(value);
        assertDeepEquals(name + " result", value, m.decodeResult(result, 0, result.length));
        return decoded[0];
    }

    private static void assertDeepEquals(String what, Object expected, Object actual) {
        assertTrue(what + ": expected " + describe(expected) + ", got " + describe(actual), Objects.deepEquals(expected, actual));
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? Arrays.deepToString(a) : o instanceof byte[] b ? "byte[" + b.length + "]" : String.valueOf(o);
    }

    @Test
    public void primitivesAndWrappers() throws Exception {
        for (Object v : new Object[] {true, false}) {
            roundTrip("bool", v);
            roundTrip("boolW", v);
        }
        for (byte v : new byte[] {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE}) {
            roundTrip("b", v);
            roundTrip("bW", v);
        }
        for (short v : new short[] {Short.MIN_VALUE, 0, Short.MAX_VALUE}) {
            roundTrip("s", v);
            roundTrip("sW", v);
        }
        for (char v : new char[] {'a', '\0', '"', '\n', 'é', '€', '日', Character.MAX_VALUE}) {
            roundTrip("c", v);
            roundTrip("cW", v);
        }
        for (int v : new int[] {Integer.MIN_VALUE, -1, 0, 42, Integer.MAX_VALUE}) {
            roundTrip("i", v);
            roundTrip("iW", v);
        }
        for (long v : new long[] {Long.MIN_VALUE, -1, 0, 1L << 53 + 1, Long.MAX_VALUE}) {
            roundTrip("l", v);
            roundTrip("lW", v);
        }
        for (float v : new float[] {Float.MIN_VALUE, -0.0f, 0.1f, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY}) {
            roundTrip("f", v);
            roundTrip("fW", v);
        }
        for (double v : new double[] {Double.MIN_VALUE, -0.0, 0.1, Math.PI, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY}) {
            roundTrip("d", v);
            roundTrip("dW", v);
        }
        for (String wrapper : List.of("boolW", "bW", "sW", "cW", "iW", "lW", "fW", "dW")) {
            roundTrip(wrapper, null);
        }
    }

    @Test
    public void strings() throws Exception {
        for (String s : new String[] {"", "plain", "héllo wörld ✓ 日本語 😀 \u0000\u0001\t\n\"\\/ </script>", "x".repeat(70_000), null}) {
            roundTrip("str", s);
        }
    }

    @Test
    public void versionAndEnum() throws Exception {
        roundTrip("version", new Version(1, 2, 3, "qualifier-X_9"));
        roundTrip("version", Version.emptyVersion);
        roundTrip("version", null);
        for (Color c : Color.values()) {
            roundTrip("color", c);
        }
        roundTrip("color", null);
    }

    @Test
    public void versionTravelsAsItsStringForm() throws Exception {
        if (codec.format() == WireFormat.JSON) {
            byte[] json = method(values, "version").encodeArguments(new Object[] {new Version(1, 2, 3, "q")});
            assertEquals("[\"1.2.3.q\"]", new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    public void bytes() throws Exception {
        roundTrip("bytes", new byte[0]);
        roundTrip("bytes", new byte[] {0, -1, 127, -128, 10, 13});
        roundTrip("bytes", null);
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        roundTrip("bytes", random);
    }

    @Test
    public void sixteenMebibytesOfBytes() throws Exception {
        byte[] big = new byte[Codec.MAX_BINARY_BYTES];
        new Random(2).nextBytes(big);
        byte[] wire = method(values, "bytes").encodeArguments(new Object[] {big});
        if (codec.format() == WireFormat.SMILE) {
            assertTrue("Smile carries raw binary, not 7-bit: " + wire.length, wire.length < big.length + 100);
        }
        roundTrip("bytes", big);
    }

    @Test
    public void arrays() throws Exception {
        roundTrip("ints", new int[] {1, -2, Integer.MAX_VALUE});
        roundTrip("ints", new int[0]);
        roundTrip("longs", new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE});
        roundTrip("doubles", new double[] {-0.0, Double.NaN, 1e-300});
        roundTrip("bools", new boolean[] {true, false});
        roundTrip("chars", new char[] {'a', '€', '"'});
        roundTrip("boxed", new Integer[] {1, null, -1});
        roundTrip("colors", new Color[] {Color.BLUE, null});
        roundTrip("strings2", new String[][] {{"a", null}, {}, null, {"ü"}});
        @SuppressWarnings("unchecked")
        List<String>[] lists = (List<String>[]) new List<?>[] {List.of("x"), List.of()};
        roundTrip("listArray", lists);
    }

    @Test
    public void collectionsAndMaps() throws Exception {
        roundTrip("list", List.of("a", "b", "a"));
        roundTrip("list", Arrays.asList("a", null));
        roundTrip("list", List.of());
        roundTrip("set", EnumSet.of(Color.RED, Color.BLUE));
        assertTrue(roundTrip("set", Set.of(Color.GREEN)) instanceof Set);
        roundTrip("coll", List.of(1L, 2L, Long.MAX_VALUE));
        Map<String, List<Integer>> map = new LinkedHashMap<>();
        map.put("one", List.of(1));
        map.put("none", null);
        map.put("", List.of());
        roundTrip("map", map);
        roundTrip("intKeys", Map.of(1, "one", -7, "minus seven", Integer.MAX_VALUE, "max"));
        roundTrip("enumKeys", Map.of(Color.RED, 0.5, Color.BLUE, -1.0));
        roundTrip("strings", Map.of("@class", "java.lang.ProcessBuilder", "key", "value"));
    }

    static Person person() {
        Person p = new Person();
        p.name = "Ada";
        p.age = 36;
        p.address = new Address("Main St", 7);
        p.tags = List.of("x", "y");
        p.favourite = Color.GREEN;
        p.others = Map.of("home", new Address("Elm", 1));
        return p;
    }

    @Test
    public void nestedDto() throws Exception {
        roundTrip("dto", person());
        roundTrip("dto", new Person()); // all fields null / zero
        roundTrip("dto", null);
        Person withTransient = person();
        withTransient.notOnTheWire = "secret";
        assertNull(((Person) roundTrip("dto", withTransient)).notOnTheWire);
    }

    @Test
    public void dtoCarriesInheritedPublicFieldsOnly() throws Exception {
        Derived d = new Derived();
        d.id = 5;
        d.label = "l";
        d.setHidden(9);
        d.ignored = 3;
        MethodCodec m = method(values, "derived");
        byte[] wire = m.encodeArguments(new Object[] {d});
        Derived back = (Derived) m.decodeArguments(wire, 0, wire.length)[0];
        assertEquals(5, back.id);
        assertEquals("l", back.label);
        assertEquals(0, back.getHidden());
        assertEquals(0, back.ignored);
        if (codec.format() == WireFormat.JSON) {
            String json = new String(wire, StandardCharsets.UTF_8);
            assertFalse(json, json.contains("hidden") || json.contains("ignored"));
        }
    }

    static Order order() {
        return new Order(1L << 40, person(), List.of(new Line("apple", 3, 0.25), new Line("pear", 1, 1e-3)),
                new Version("2.0.0"), EnumSet.allOf(Color.class));
    }

    @Test
    public void recordWithDtoAndListOfRecords() throws Exception {
        roundTrip("record", order());
        roundTrip("record", new Order(0, null, List.of(), null, Set.of()));
    }

    @Test
    public void recursiveDto() throws Exception {
        roundTrip("tree", new Node("root", new Node("a", new Node("a1")), new Node("b")));
        roundTrip("tree", Node.chain(Codec.MAX_NESTING_DEPTH / 2 - 2)); // each level is an object and an array
    }

    @Test
    public void severalArgumentsAndVoid() throws Exception {
        MethodCodec greet = method(calls, "greet");
        assertEquals("greet(java.lang.String,int)", greet.signature());
        assertEquals(2, greet.parameterCount());
        byte[] wire = greet.encodeArguments(new Object[] {"Bob", 3});
        assertArrayEquals(new Object[] {"Bob", 3}, greet.decodeArguments(wire, 0, wire.length));
        if (codec.format() == WireFormat.JSON) {
            assertEquals("[\"Bob\",3]", new String(wire, StandardCharsets.UTF_8));
        }
        MethodCodec nothing = method(calls, "nothing");
        assertFalse(nothing.async());
        assertEquals(void.class, nothing.resultType());
        byte[] none = nothing.encodeArguments(null);
        assertEquals(0, nothing.decodeArguments(none, 0, none.length).length);
        byte[] result = nothing.encodeResult("ignored: void encodes null");
        assertNull(nothing.decodeResult(result, 0, result.length));
        MethodCodec returnsVoid = method(calls, "returnsVoid");
        result = returnsVoid.encodeResult(null);
        assertNull(returnsVoid.decodeResult(result, 0, result.length));
    }

    @Test
    public void decodesFromAnOffset() throws Exception {
        MethodCodec greet = method(calls, "greet");
        byte[] wire = greet.encodeArguments(new Object[] {"Bob", 3});
        byte[] framed = new byte[wire.length + 7];
        System.arraycopy(wire, 0, framed, 5, wire.length);
        framed[4] = '[';
        framed[framed.length - 1] = ']';
        assertArrayEquals(new Object[] {"Bob", 3}, greet.decodeArguments(framed, 5, wire.length));
    }

    @Test
    public void asyncReturnTypesCarryTheirValueType() throws Exception {
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("promise", "done");
        resolved.put("completableFuture", 7);
        resolved.put("completionStage", person());
        resolved.put("future", null);
        resolved.put("orders", List.of(order()));
        for (Map.Entry<String, Object> e : resolved.entrySet()) {
            MethodCodec m = method(calls, e.getKey());
            assertTrue(e.getKey(), m.async());
            byte[] wire = m.encodeResult(e.getValue());
            assertDeepEquals(e.getKey(), e.getValue(), m.decodeResult(wire, 0, wire.length));
        }
        assertEquals(String.class, method(calls, "promise").resultType());
        assertEquals(Void.class, method(calls, "future").resultType());
        // the value codec is the inner type: an Integer result is not a String
        byte[] seven = method(calls, "completableFuture").encodeResult(7);
        try {
            method(calls, "promise").decodeResult(seven, 0, seven.length);
            throw new AssertionError("decoded an int as the String of a Promise<String>");
        } catch (WireFormatException expected) {
            // refused
        }
        byte[] ids = method(calls, "orders").encodeArguments(new Object[] {Set.of("a", "b")});
        assertEquals(Set.of("a", "b"), method(calls, "orders").decodeArguments(ids, 0, ids.length)[0]);
    }

    @Test
    public void methodsSortedBySignatureWithWireIds() throws Exception {
        List<String> signatures = calls.methods().stream().map(MethodCodec::signature).toList();
        List<String> sorted = new ArrayList<>(signatures);
        sorted.sort(null);
        assertEquals(sorted, signatures);
        for (int i = 0; i < calls.methods().size(); i++) {
            MethodCodec m = calls.methods().get(i);
            assertEquals(i, m.id());
            assertSame(m, calls.method(m.method()));
            assertSame(m, calls.method(m.signature()));
        }
        assertSame(Calls.class, calls.type());
        assertNull(calls.method(Object.class.getMethod("toString")));
        assertNull(calls.method(String.class.getMethod("length")));
    }

    @Test
    public void inheritedMethodsAreRemoteDefaultStaticAndObjectMethodsAreNot() throws Exception {
        InterfaceCodec child = codec.forInterface(Child.class);
        assertEquals(List.of("inherited(int)", "own(java.lang.String)"), child.methods().stream().map(MethodCodec::signature).toList());
        MethodCodec inherited = child.method(Fixtures.Parent.class.getMethod("inherited", int.class));
        assertEquals("inherited(int)", inherited.signature());
        assertSame(inherited, child.method(Child.class.getMethod("inherited", int.class)));
        assertNull(child.method(Fixtures.Parent.class.getMethod("notRemote")));
        assertNull(child.method(Child.class.getMethod("equals", Object.class)));
    }

    @Test
    public void typeVariablesBoundBySuperinterfaces() throws Exception {
        InterfaceCodec people = codec.forInterface(People.class);
        MethodCodec get = people.method("get(java.lang.Object)");
        byte[] key = get.encodeArguments(new Object[] {"ada"});
        assertEquals("ada", get.decodeArguments(key, 0, key.length)[0]);
        byte[] result = get.encodeResult(person());
        assertEquals(person(), get.decodeResult(result, 0, result.length));
        MethodCodec all = people.method("all()");
        result = all.encodeResult(List.of(person()));
        assertEquals(List.of(person()), all.decodeResult(result, 0, result.length));
        MethodCodec index = people.method("index()");
        assertTrue(index.async());
        Type type = index.resultType();
        assertEquals("java.util.Map<java.lang.String, " + Person.class.getName() + ">", type.getTypeName());
        result = index.encodeResult(Map.of("ada", person()));
        assertEquals(Map.of("ada", person()), index.decodeResult(result, 0, result.length));
    }

    @Test
    public void protocolValues() throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("service.id", 12);
        properties.put("objectClass", List.of("a.B"));
        properties.put("nested", Map.of("x", true, "y", 1.5));
        properties.put("none", null);
        Protocol p = new Protocol("id-1", properties, List.of("a.B"));
        byte[] wire = codec.encode(p);
        assertEquals(p, codec.decode(wire, 0, wire.length, Protocol.class));
        wire = codec.encode(properties);
        assertEquals(properties, codec.decode(wire, 0, wire.length, Map.class));
        wire = codec.encode(person());
        assertEquals(person(), codec.decode(wire, 0, wire.length, Person.class));
        for (Object notProtocol : new Object[] {"string", 1, List.of(), new Object(), Color.RED}) {
            try {
                codec.encode(notProtocol);
                throw new AssertionError("encoded " + notProtocol);
            } catch (IllegalArgumentException expected) {
                // refused
            }
        }
    }

    @Test
    public void concurrentUse() throws Exception {
        MethodCodec m = method(values, "record");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        byte[] wire = m.encodeArguments(new Object[] {order()});
                        assertEquals(order(), m.decodeArguments(wire, 0, wire.length)[0]);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void completableFutureOfResultIsNotEncodedAsAFuture() throws Exception {
        // the caller resolves the future first; encoding the future object itself is refused by the declared type
        MethodCodec m = method(calls, "completableFuture");
        try {
            m.encodeResult(CompletableFuture.completedFuture(7));
            throw new AssertionError("encoded a CompletableFuture as an Integer");
        } catch (java.io.IOException expected) {
            // refused
        }
    }
}
