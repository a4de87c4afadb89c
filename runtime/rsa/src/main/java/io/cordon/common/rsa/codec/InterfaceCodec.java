package io.cordon.common.rsa.codec;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The codecs of every remote method of one interface: each public abstract method, inherited ones
 * included (default and static methods and those of {@code Object} are not remote). Immutable and
 * thread-safe; build it once per interface and cache it.
 */
public final class InterfaceCodec {

    private final Class<?> type;
    private final List<MethodCodec> methods;
    private final Map<Method, MethodCodec> byMethod;
    private final Map<String, MethodCodec> bySignature;

    private InterfaceCodec(Class<?> type, List<MethodCodec> methods, Map<Method, MethodCodec> byMethod) {
        this.type = type;
        this.methods = List.copyOf(methods);
        this.byMethod = Map.copyOf(byMethod);
        Map<String, MethodCodec> signatures = new HashMap<>();
        methods.forEach(m -> signatures.put(m.signature(), m));
        this.bySignature = Map.copyOf(signatures);
    }

    static InterfaceCodec build(WireMapper wire, Class<?> iface) throws UnsupportedTypeException {
        if (!iface.isInterface() || iface.isAnnotation()) {
            throw new UnsupportedTypeException(iface.getName() + " is not an interface; only interfaces can be remoted");
        }
        // One entry per erased signature; an interface may inherit the same method from several superinterfaces.
        TreeMap<String, List<Method>> remote = new TreeMap<>();
        for (Method m : iface.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !m.isBridge() && !isObjectMethod(m)) {
                remote.computeIfAbsent(MethodCodec.signature(m), s -> new ArrayList<>()).add(m);
            }
        }
        TypeRules rules = TypeRules.forInterface(iface);
        List<MethodCodec> codecs = new ArrayList<>();
        Map<Method, MethodCodec> byMethod = new HashMap<>();
        for (Map.Entry<String, List<Method>> e : remote.entrySet()) {
            Method m = mostSpecific(e.getValue());
            MethodCodec codec = codec(wire, rules, iface, m, codecs.size());
            codecs.add(codec);
            e.getValue().forEach(same -> byMethod.put(same, codec));
        }
        return new InterfaceCodec(iface, codecs, byMethod);
    }

    private static MethodCodec codec(WireMapper wire, TypeRules rules, Class<?> iface, Method m, int id) throws UnsupportedTypeException {
        try {
            Type[] parameters = m.getGenericParameterTypes();
            for (int i = 0; i < parameters.length; i++) {
                rules.check(parameters[i], TypeRules.Position.PARAMETER, "parameter " + i);
                parameters[i] = rules.resolve(parameters[i]);
            }
            rules.check(m.getGenericReturnType(), TypeRules.Position.RETURN, "the return type");
            Type result = rules.resolve(m.getGenericReturnType());
            boolean async = TypeRules.isAsync(m.getReturnType());
            if (async) {
                result = ((ParameterizedType) result).getActualTypeArguments()[0];
            }
            return new MethodCodec(wire, m, id, async, parameters, result);
        } catch (TypeRules.Refusal r) {
            throw new UnsupportedTypeException(r.describe("Cannot remote " + iface.getName() + " method " + MethodCodec.signature(m)));
        }
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Of methods with one signature, the one whose return type is assignable to all the others'. */
    private static Method mostSpecific(List<Method> same) {
        for (Method candidate : same) {
            if (same.stream().allMatch(o -> o.getReturnType().isAssignableFrom(candidate.getReturnType()))) {
                return candidate;
            }
        }
        return same.get(0);
    }

    public Class<?> type() {
        return type;
    }

    /** In a stable order, sorted by {@link MethodCodec#signature()}; the index in this list is the method's wire id. */
    public List<MethodCodec> methods() {
        return methods;
    }

    /** The codec of {@code m}, or null if it is not a remote method of this interface. */
    public MethodCodec method(Method m) {
        MethodCodec codec = byMethod.get(m);
        if (codec == null && m.getDeclaringClass().isAssignableFrom(type) && Modifier.isAbstract(m.getModifiers())) {
            codec = bySignature.get(MethodCodec.signature(m)); // the same method reached through another declaration
        }
        return codec;
    }

    /** The codec of the method with this {@link MethodCodec#signature()}, or null. */
    public MethodCodec method(String signature) {
        return bySignature.get(signature);
    }

    @Override
    public String toString() {
        return "InterfaceCodec[" + type.getName() + ", " + methods.size() + " methods]";
    }
}
