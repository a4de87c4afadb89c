package io.cordon.common.rsa.codec;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.osgi.framework.Version;

/**
 * Which types the wire carries, checked on the generic types once, when an interface is exported or
 * imported. One instance checks one interface (or one protocol type); it remembers the DTO and record
 * classes it has entered, so recursive DTOs end.
 */
final class TypeRules {

    static final String SUPPORTED = "Supported: primitives and their wrappers, String, org.osgi.framework.Version, enums, "
            + "byte[] and arrays of supported types, List<T>, Set<T>, Collection<T> and Map<K,V> (K a String, primitive wrapper "
            + "or enum) fully parameterized with supported types, DTOs (public class with a public no-arg constructor whose "
            + "public instance fields, at least one, are non-final and of supported types; getters and setters are ignored) and public records of supported types; as a return type "
            + "also void, or Promise, CompletionStage, CompletableFuture or Future of a supported type or Void.";

    private static final Set<Class<?>> WRAPPERS = Set.of(Boolean.class, Byte.class, Short.class, Character.class,
            Integer.class, Long.class, Float.class, Double.class);
    private static final Set<Class<?>> COLLECTIONS = Set.of(List.class, Set.class, Collection.class);
    private static final Set<String> ASYNC = Set.of("org.osgi.util.promise.Promise", CompletionStage.class.getName(),
            CompletableFuture.class.getName(), Future.class.getName());

    /** Where a type is used: decides whether {@code void}/{@code Void} and async types are allowed. */
    enum Position { PARAMETER, RETURN, ASYNC_VALUE, NESTED }

    /** A type the wire does not carry, where it was found and why. Stackless: it is a verdict, not a bug. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final String type;
        final String path;
        final String reason;

        Refusal(Type type, String path, String reason) {
            super(reason, null, false, false);
            this.type = type.getTypeName();
            this.path = path;
            this.reason = reason;
        }

        /** "{@code <subject>: <where> has type T, which is not supported: <reason>. Supported: …}" */
        String describe(String subject) {
            return subject + ": " + path + " has type " + type + ", which is not supported: " + reason + ". " + SUPPORTED;
        }
    }

    private final boolean allowObject;
    private final Map<TypeVariable<?>, Type> bindings;
    private final Set<Class<?>> entered = new HashSet<>();
    private final List<String> path = new ArrayList<>();

    private TypeRules(boolean allowObject, Map<TypeVariable<?>, Type> bindings) {
        this.allowObject = allowObject;
        this.bindings = bindings;
    }

    /** Rules for the methods of {@code iface}: its type variables are bound as its superinterfaces declare. */
    static TypeRules forInterface(Class<?> iface) {
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        bind(iface, bindings);
        return new TypeRules(false, bindings);
    }

    /** Rules for Cordon's own protocol values: as for interfaces, and {@code Object} travels as plain JSON values. */
    static TypeRules forProtocol() {
        return new TypeRules(true, Map.of());
    }

    static boolean isAsync(Class<?> c) {
        return ASYNC.contains(c.getName());
    }

    private static void bind(Type type, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        if (type instanceof ParameterizedType p) {
            raw = (Class<?>) p.getRawType();
            TypeVariable<?>[] vars = raw.getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < vars.length; i++) {
                bindings.putIfAbsent(vars[i], resolve(args[i], bindings));
            }
        } else {
            raw = (Class<?>) type;
        }
        for (Type s : raw.getGenericInterfaces()) {
            bind(s, bindings);
        }
    }

    /** {@code type} with the interface's bound type variables replaced. */
    Type resolve(Type type) {
        return bindings.isEmpty() ? type : resolve(type, bindings);
    }

    private static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> v) {
            return bindings.getOrDefault(v, v);
        }
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            Type[] resolved = Arrays.stream(args).map(a -> resolve(a, bindings)).toArray(Type[]::new);
            return Arrays.equals(args, resolved) ? p : new Parameterized((Class<?>) p.getRawType(), resolved, p.getOwnerType());
        }
        if (type instanceof GenericArrayType a) {
            Type component = resolve(a.getGenericComponentType(), bindings);
            if (component instanceof Class<?> c) {
                return Array.newInstance(c, 0).getClass();
            }
            return component == a.getGenericComponentType() ? a : new GenericArray(component);
        }
        return type; // classes; wildcards are refused anyway
    }

    /** Checks {@code type} (resolved) as used at {@code where} ("parameter 0", "return type"). */
    void check(Type type, Position position, String where) throws Refusal {
        path.clear();
        path.add(where);
        check(resolve(type), position);
    }

    private void check(Type type, Position position) throws Refusal {
        if (type instanceof Class<?> c) {
            checkClass(c, position);
        } else if (type instanceof ParameterizedType p) {
            checkParameterized(p, position);
        } else if (type instanceof GenericArrayType a) {
            nested("component of " + a.getTypeName(), a.getGenericComponentType());
        } else if (type instanceof WildcardType) {
            throw refuse(type, "a wildcard gives the decoder no exact type; declare one, e.g. List<String>");
        } else if (type instanceof TypeVariable<?> v) {
            throw refuse(type, "type variable " + v.getName() + " of " + v.getGenericDeclaration() + " is not bound to a concrete type");
        } else {
            throw refuse(type, "unknown kind of type");
        }
    }

    private void nested(String step, Type type) throws Refusal {
        path.add(step);
        check(type, Position.NESTED);
        path.remove(path.size() - 1);
    }

    private void checkClass(Class<?> c, Position position) throws Refusal {
        if (c == void.class || c == Void.class) {
            if (position == Position.RETURN || position == Position.ASYNC_VALUE) {
                return;
            }
            throw refuse(c, c.getName() + " is only allowed as a return type");
        }
        if (c.isPrimitive() || WRAPPERS.contains(c) || c == String.class || c == Version.class || c == byte[].class) {
            return;
        }
        if (c == Object.class) {
            if (allowObject) {
                return;
            }
            throw refuse(c, "java.lang.Object gives the decoder no type to decode into (there is no polymorphic typing)");
        }
        if (c.isArray()) {
            nested("component of " + c.getTypeName(), c.getComponentType());
            return;
        }
        if (c.isEnum()) {
            requirePublic(c, "enum");
            return;
        }
        if (isAsync(c)) {
            throw refuse(c, position == Position.RETURN ? "raw async type: declare its value type, e.g. Promise<String>" : "async types are only allowed as the return type");
        }
        if (COLLECTIONS.contains(c) || c == Map.class) {
            throw refuse(c, "raw type: declare its type arguments, e.g. List<String> or Map<String, Integer>");
        }
        if (c.isInterface()) {
            throw refuse(c, "an interface other than List, Set, Collection or Map gives the decoder no concrete type");
        }
        if (Modifier.isAbstract(c.getModifiers())) {
            throw refuse(c, "an abstract class gives the decoder no concrete type");
        }
        if (c.getTypeParameters().length > 0) {
            throw refuse(c, "generic class: only List, Set, Collection and Map may have type parameters");
        }
        if (isJdk(c)) {
            throw refuse(c, "a JDK class that is not one of the supported value types (and not a DTO)");
        }
        if (Iterable.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c) || Throwable.class.isAssignableFrom(c)
                || CharSequence.class.isAssignableFrom(c) || Number.class.isAssignableFrom(c)) {
            throw refuse(c, "collections, maps, exceptions, char sequences and numbers are not DTOs; declare List, Map, String, … instead");
        }
        if (!entered.add(c)) {
            return; // checked already, or being checked further up (a recursive DTO)
        }
        if (c.isRecord()) {
            requirePublic(c, "record");
            for (RecordComponent rc : c.getRecordComponents()) {
                nested("component '" + rc.getName() + "' of " + c.getName(), rc.getGenericType());
            }
            return;
        }
        checkDto(c);
    }

    private void checkDto(Class<?> c) throws Refusal {
        requirePublic(c, "DTO class");
        if (c.isLocalClass() || c.isAnonymousClass() || (c.isMemberClass() && !Modifier.isStatic(c.getModifiers()))) {
            throw refuse(c, "an inner, local or anonymous class is not a DTO; make it a static nested or top-level class");
        }
        try {
            c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw refuse(c, "not a DTO (no public no-arg constructor) and not a record");
        }
        List<Field> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
            if (k != c && isJdk(k)) {
                throw refuse(c, "a DTO must not extend a JDK class (" + k.getName() + ")");
            }
            for (Field f : k.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isPublic(mod) || Modifier.isStatic(mod) || Modifier.isTransient(mod)) {
                    continue; // not on the wire, like getters and setters
                }
                if (Modifier.isFinal(mod)) {
                    throw refuse(c, "not a DTO: field '" + f.getName() + "' of " + k.getName() + " is final and could not be decoded");
                }
                if (!names.add(f.getName())) {
                    throw refuse(c, "not a DTO: field '" + f.getName() + "' is declared twice in its class hierarchy");
                }
                fields.add(f);
            }
        }
        if (fields.isEmpty()) {
            // it would travel as an empty object: refused rather than losing its state silently
            throw refuse(c, "not a DTO: it has no public instance fields (getters and setters are not used on the wire)");
        }
        for (Field f : fields) {
            nested("field '" + f.getName() + "' of " + c.getName(), f.getGenericType());
        }
    }

    private void checkParameterized(ParameterizedType p, Position position) throws Refusal {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (COLLECTIONS.contains(raw)) {
            nested("element of " + p.getTypeName(), args[0]);
        } else if (raw == Map.class) {
            Type key = args[0];
            if (!(key instanceof Class<?> k) || !(k == String.class || WRAPPERS.contains(k) || k.isEnum())) {
                path.add("key of " + p.getTypeName());
                throw refuse(key, "map keys must be String, a primitive wrapper or an enum");
            }
            if (k.isEnum()) {
                nested("key of " + p.getTypeName(), k);
            }
            nested("value of " + p.getTypeName(), args[1]);
        } else if (isAsync(raw)) {
            if (position != Position.RETURN) {
                throw refuse(p, "async types are only allowed as the return type");
            }
            path.add("value of " + p.getTypeName());
            check(args[0], Position.ASYNC_VALUE);
            path.remove(path.size() - 1);
        } else {
            throw refuse(p, "only List, Set, Collection, Map and (as return type) the async types may have type arguments");
        }
    }

    private void requirePublic(Class<?> c, String kind) throws Refusal {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                throw refuse(c, "the " + kind + " must be public" + (k == c ? "" : " and so must the class it is nested in (" + k.getName() + ")"));
            }
        }
    }

    static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return c.getClassLoader() == null || n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.")
                || n.startsWith("sun.") || n.startsWith("com.sun.");
    }

    private Refusal refuse(Type type, String reason) {
        return new Refusal(type, String.join(" → ", path), reason);
    }

    /** A parameterized type with some type variables replaced. */
    private record Parameterized(Class<?> raw, Type[] args, Type owner) implements ParameterizedType {
        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type[] getActualTypeArguments() {
            return args.clone();
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public String getTypeName() {
            return raw.getTypeName() + Arrays.stream(args).map(Type::getTypeName).collect(Collectors.joining(", ", "<", ">"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParameterizedType p && raw.equals(p.getRawType()) && Arrays.equals(args, p.getActualTypeArguments())
                    && Objects.equals(owner, p.getOwnerType());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(args) ^ raw.hashCode() ^ Objects.hashCode(owner);
        }

        @Override
        public String toString() {
            return getTypeName();
        }
    }

    /** A generic array type whose component had a type variable replaced. */
    private record GenericArray(Type component) implements GenericArrayType {
        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public String getTypeName() {
            return component.getTypeName() + "[]";
        }

        @Override
        public String toString() {
            return getTypeName();
        }
    }
}
