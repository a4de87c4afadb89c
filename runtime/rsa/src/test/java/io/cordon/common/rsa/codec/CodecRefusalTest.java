package io.cordon.common.rsa.codec;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;
import org.osgi.framework.Version;
import org.osgi.util.promise.Promise;

/**
 * Every kind of unsupported type is refused when the interface is exported or imported, with a message
 * that names the interface, the method signature and the type.
 */
public class CodecRefusalTest {

    private final Codec codec = new Codec(WireFormat.JSON);

    public abstract static class AbstractDto {
        public String name;
    }

    public static class NoDefaultConstructor {
        public String name;

        public NoDefaultConstructor(String name) {
            this.name = name;
        }
    }

    public static class FinalField {
        public final String name = "fixed";
    }

    /** A bean: state in private fields behind getters and setters, which the wire does not use. */
    public static class Bean {
        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    /** Serializable-only: what Java serialization would carry, the wire does not. */
    public static class SerializableOnly implements Serializable {
        private static final long serialVersionUID = 1L;
        private byte[] state;
    }

    static class PackagePrivateDto {
        public String name;
    }

    public class InnerDto {
        public String name;
    }

    public static class Box<T> {
        public T value;
    }

    public static class HoldsFiles {
        public String name;
        public List<File> files;
    }

    public record HoldsObject(String name, Object payload) {
    }

    public static class MyList extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        public String extra;
    }

    public static class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public String detail;
    }

    public interface TakesObject { void call(Object o); }
    public interface TakesRunnable { void call(Runnable r); }
    public interface TakesSerializable { void call(Serializable s); }
    public interface TakesAbstract { void call(AbstractDto d); }
    public interface TakesFile { void call(String name, File f); }
    public interface ReturnsThread { Thread call(); }
    public interface TakesOptional { void call(Optional<String> o); }
    public interface TakesDate { void call(Date d); }
    public interface TakesBigDecimal { void call(BigDecimal d); }
    public interface TakesRawList { void call(@SuppressWarnings("rawtypes") List l); }
    public interface TakesRawMap { void call(@SuppressWarnings("rawtypes") Map m); }
    public interface TakesWildcard { void call(List<?> l); }
    public interface TakesBoundedWildcard { void call(List<? extends Number> l); }
    public interface TakesMethodTypeVariable { <T> void call(T t); }
    public interface Unbound<T> { void call(T t); }
    public interface TakesListOfTypeVariable<T> { void call(List<T> t); }
    public interface TakesDtoKeys { void call(Map<HoldsFiles, String> m); }
    public interface TakesVersionKeys { void call(Map<Version, String> m); }
    public interface TakesNoDefaultConstructor { void call(NoDefaultConstructor d); }
    public interface TakesFinalField { void call(FinalField d); }
    public interface TakesBean { void call(Bean b); }
    public interface TakesSerializableOnly { void call(SerializableOnly s); }
    public interface TakesPackagePrivate { void call(PackagePrivateDto d); }
    public interface TakesInner { void call(InnerDto d); }
    public interface TakesGenericDto { void call(Box<String> b); }
    public interface TakesRawGenericDto { void call(@SuppressWarnings("rawtypes") Box b); }
    public interface TakesNestedFile { void call(int id, HoldsFiles h); }
    public interface ReturnsNestedObject { List<HoldsObject> call(); }
    public interface TakesArrayList { void call(ArrayList<String> l); }
    public interface TakesCollectionSubclass { void call(MyList l); }
    public interface TakesException { void call(Failure f); }
    public interface TakesPromise { void call(Promise<String> p); }
    public interface ReturnsRawPromise { @SuppressWarnings("rawtypes") Promise call(); }
    public interface ReturnsWildcardFuture { CompletableFuture<?> call(); }
    public interface ReturnsPromiseOfFile { Promise<File> call(); }
    public interface TakesVoid { void call(Void v); }
    public interface ListOfVoid { List<Void> call(); }
    public interface SecondMethodBad { void a(String ok); void b(Object bad); }

    /** Asserts that {@code iface} is refused and the message names it, {@code signature}, {@code type} and {@code reason}. */
    private void assertRefused(Class<?> iface, String signature, String type, String reason) {
        try {
            codec.forInterface(iface);
            fail(iface.getName() + " was not refused");
        } catch (UnsupportedTypeException e) {
            String m = e.getMessage();
            assertTrue(m, m.startsWith("Cannot remote " + iface.getName() + " method " + signature + ": "));
            assertTrue(m, m.contains(" has type " + type + ", which is not supported: "));
            assertTrue(m, m.contains(reason));
            assertTrue(m, m.contains("Supported: primitives"));
        }
    }

    private static String name(Class<?> c) {
        return c.getName();
    }

    @Test
    public void object() {
        assertRefused(TakesObject.class, "call(java.lang.Object)", "java.lang.Object", "no polymorphic typing");
    }

    @Test
    public void interfaces() {
        assertRefused(TakesRunnable.class, "call(java.lang.Runnable)", "java.lang.Runnable", "an interface other than List, Set");
        assertRefused(TakesSerializable.class, "call(java.io.Serializable)", "java.io.Serializable", "an interface other than List, Set");
    }

    @Test
    public void abstractClass() {
        assertRefused(TakesAbstract.class, "call(" + name(AbstractDto.class) + ")", name(AbstractDto.class), "abstract class");
    }

    @Test
    public void jdkClassesThatAreNotValues() {
        assertRefused(TakesFile.class, "call(java.lang.String,java.io.File)", "java.io.File", "JDK class");
        assertRefused(ReturnsThread.class, "call()", "java.lang.Thread", "JDK class");
        assertRefused(TakesDate.class, "call(java.util.Date)", "java.util.Date", "JDK class");
        assertRefused(TakesBigDecimal.class, "call(java.math.BigDecimal)", "java.math.BigDecimal", "JDK class");
        assertRefused(TakesOptional.class, "call(java.util.Optional)", "java.util.Optional<java.lang.String>", "only List, Set, Collection, Map");
        assertRefused(TakesArrayList.class, "call(java.util.ArrayList)", "java.util.ArrayList<java.lang.String>", "only List, Set, Collection, Map");
    }

    @Test
    public void rawTypes() {
        assertRefused(TakesRawList.class, "call(java.util.List)", "java.util.List", "raw type");
        assertRefused(TakesRawMap.class, "call(java.util.Map)", "java.util.Map", "raw type");
        assertRefused(TakesRawGenericDto.class, "call(" + name(Box.class) + ")", name(Box.class), "generic class");
        assertRefused(ReturnsRawPromise.class, "call()", "org.osgi.util.promise.Promise", "raw async type");
    }

    @Test
    public void wildcards() {
        assertRefused(TakesWildcard.class, "call(java.util.List)", "?", "wildcard");
        assertRefused(TakesBoundedWildcard.class, "call(java.util.List)", "? extends java.lang.Number", "wildcard");
        assertRefused(ReturnsWildcardFuture.class, "call()", "?", "wildcard");
    }

    @Test
    public void typeVariables() {
        assertRefused(TakesMethodTypeVariable.class, "call(java.lang.Object)", "T", "type variable T");
        assertRefused(Unbound.class, "call(java.lang.Object)", "T", "type variable T");
        assertRefused(TakesListOfTypeVariable.class, "call(java.util.List)", "T", "type variable T");
        assertRefused(TakesGenericDto.class, "call(" + name(Box.class) + ")", name(Box.class) + "<java.lang.String>", "only List, Set, Collection, Map");
    }

    @Test
    public void mapKeys() {
        assertRefused(TakesDtoKeys.class, "call(java.util.Map)", name(HoldsFiles.class), "map keys must be String, a primitive wrapper or an enum");
        assertRefused(TakesVersionKeys.class, "call(java.util.Map)", "org.osgi.framework.Version", "map keys must be");
    }

    @Test
    public void notDtos() {
        assertRefused(TakesNoDefaultConstructor.class, "call(" + name(NoDefaultConstructor.class) + ")", name(NoDefaultConstructor.class), "no public no-arg constructor");
        assertRefused(TakesFinalField.class, "call(" + name(FinalField.class) + ")", name(FinalField.class), "field 'name' of " + name(FinalField.class) + " is final");
        assertRefused(TakesBean.class, "call(" + name(Bean.class) + ")", name(Bean.class), "no public instance fields");
        assertRefused(TakesSerializableOnly.class, "call(" + name(SerializableOnly.class) + ")", name(SerializableOnly.class), "no public instance fields");
        assertRefused(TakesPackagePrivate.class, "call(" + name(PackagePrivateDto.class) + ")", name(PackagePrivateDto.class), "must be public");
        assertRefused(TakesInner.class, "call(" + name(InnerDto.class) + ")", name(InnerDto.class), "inner, local or anonymous class");
        assertRefused(TakesCollectionSubclass.class, "call(" + name(MyList.class) + ")", name(MyList.class), "not DTOs");
        assertRefused(TakesException.class, "call(" + name(Failure.class) + ")", name(Failure.class), "not DTOs");
    }

    @Test
    public void nestedUnsupportedTypeNamesThePath() throws Exception {
        try {
            codec.forInterface(TakesNestedFile.class);
            fail();
        } catch (UnsupportedTypeException e) {
            String m = e.getMessage();
            assertTrue(m, m.contains("method call(int," + name(HoldsFiles.class) + "): parameter 1 → field 'files' of " + name(HoldsFiles.class)
                    + " → element of java.util.List<java.io.File> has type java.io.File"));
        }
        try {
            codec.forInterface(ReturnsNestedObject.class);
            fail();
        } catch (UnsupportedTypeException e) {
            String m = e.getMessage();
            assertTrue(m, m.contains("method call(): the return type → element of java.util.List<" + name(HoldsObject.class)
                    + "> → component 'payload' of " + name(HoldsObject.class) + " has type java.lang.Object"));
        }
    }

    @Test
    public void asyncTypesOnlyAsReturnType() {
        assertRefused(TakesPromise.class, "call(org.osgi.util.promise.Promise)", "org.osgi.util.promise.Promise<java.lang.String>", "only allowed as the return type");
        assertRefused(ReturnsPromiseOfFile.class, "call()", "java.io.File", "JDK class");
    }

    @Test
    public void voidOnlyAsReturnType() {
        assertRefused(TakesVoid.class, "call(java.lang.Void)", "java.lang.Void", "only allowed as a return type");
        assertRefused(ListOfVoid.class, "call()", "java.lang.Void", "only allowed as a return type");
    }

    @Test
    public void theFirstUnsupportedMethodIsNamed() {
        assertRefused(SecondMethodBad.class, "b(java.lang.Object)", "java.lang.Object", "no polymorphic typing");
    }

    @Test
    public void notAnInterface() {
        try {
            codec.forInterface(String.class);
            fail();
        } catch (UnsupportedTypeException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("java.lang.String is not an interface"));
        }
    }
}
