package io.cordon.common.rsa.codec;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * The wire codec of one remote method: its arguments travel as one array {@code [a0, a1, …]}, its result
 * as one value, each decoded only into the declared (generic) type. Immutable and thread-safe.
 */
public final class MethodCodec {

    private final WireMapper wire;
    private final Method method;
    private final String signature;
    private final String label;
    private final int id;
    private final boolean async;
    private final Type resultType;
    private final ValueCodec[] parameters;
    private final ValueCodec result;

    MethodCodec(WireMapper wire, Method method, int id, boolean async, Type[] parameterTypes, Type resultType) {
        this.wire = wire;
        this.method = method;
        this.signature = signature(method);
        this.label = method.getDeclaringClass().getName() + "." + signature;
        this.id = id;
        this.async = async;
        this.resultType = resultType;
        this.parameters = Arrays.stream(parameterTypes).map(t -> ValueCodec.of(wire, t)).toArray(ValueCodec[]::new);
        this.result = ValueCodec.of(wire, resultType);
    }

    /** {@code name(erased.param.Type,int,java.lang.String[])}. */
    static String signature(Method m) {
        return Arrays.stream(m.getParameterTypes()).map(Class::getTypeName).collect(Collectors.joining(",", m.getName() + "(", ")"));
    }

    public Method method() {
        return method;
    }

    /**
     * {@code "name(fully.qualified.ParamType,int,java.lang.String[])"} from the erased parameter types
     * ({@link Class#getTypeName()}); identical in both JVMs for the same interface.
     */
    public String signature() {
        return signature;
    }

    /** The method's wire id: its index in {@link InterfaceCodec#methods()}. */
    public int id() {
        return id;
    }

    /** Whether the return type is Promise, CompletionStage, CompletableFuture or Future (OSGi promise or java.util.concurrent). */
    public boolean async() {
        return async;
    }

    /** The type of the value that travels as the result: the return type, or for {@link #async()} its resolved value type; {@code void.class} for void. */
    public Type resultType() {
        return resultType;
    }

    public int parameterCount() {
        return parameters.length;
    }

    /** The arguments as one array; {@code args} null means no arguments. */
    public byte[] encodeArguments(Object[] args) throws IOException {
        int count = args == null ? 0 : args.length;
        if (count != parameters.length) {
            throw new IllegalArgumentException(label + " takes " + parameters.length + " arguments, got " + count);
        }
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = wire.generator(out)) {
            g.writeStartArray(args, count);
            for (int i = 0; i < count; i++) {
                parameters[i].write(g, args[i]);
            }
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    /**
     * Strict: exactly {@link #parameterCount()} values, each decoded only into the declared (generic)
     * parameter type, nothing after the array.
     */
    public Object[] decodeArguments(byte[] data, int offset, int length) throws WireFormatException {
        String what = "arguments of " + label;
        Object[] args = new Object[parameters.length];
        try (JsonParser p = wire.parser(data, offset, length)) {
            WireMapper.expectValue(p, what);
            if (!p.hasToken(JsonToken.START_ARRAY)) {
                throw new WireFormatException(what + ": expected an array of " + parameters.length + " values, got " + p.currentToken());
            }
            for (int i = 0; i < parameters.length; i++) {
                if (p.nextToken() == JsonToken.END_ARRAY) {
                    throw new WireFormatException(what + ": got " + i + " of " + parameters.length + " values");
                }
                args[i] = readArgument(p, i);
            }
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new WireFormatException(what + ": more than " + parameters.length + " values");
            }
            WireMapper.expectEnd(p, what);
            return args;
        } catch (IOException | RuntimeException e) {
            throw WireMapper.malformed(what, e);
        }
    }

    private Object readArgument(JsonParser p, int i) throws WireFormatException {
        try {
            return parameters[i].read(p);
        } catch (IOException | RuntimeException e) {
            throw WireMapper.malformed("argument " + i + " of " + label, e);
        }
    }

    /** The result: the return value, or for {@link #async()} the resolved value; void methods encode null. */
    public byte[] encodeResult(Object value) throws IOException {
        return result.encode(value);
    }

    public Object decodeResult(byte[] data, int offset, int length) throws WireFormatException {
        return result.decode(data, offset, length, "result of " + label);
    }

    @Override
    public String toString() {
        return "MethodCodec[" + id + ": " + label + "]";
    }
}
