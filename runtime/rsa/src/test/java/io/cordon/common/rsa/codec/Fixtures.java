package io.cordon.common.rsa.codec;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.osgi.framework.Version;
import org.osgi.util.promise.Promise;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Interfaces and value types the codec tests remote. */
public final class Fixtures {

    private Fixtures() {
    }

    public enum Color { RED, GREEN, BLUE }

    /** A DTO in OSGi style: public fields, a nested DTO, a list. */
    public static class Address {
        public String street;
        public int number;

        public Address() {
        }

        public Address(String street, int number) {
            this.street = street;
            this.number = number;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Address a && Objects.equals(street, a.street) && number == a.number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(street, number);
        }
    }

    public static class Person {
        public String name;
        public int age;
        public Address address;
        public List<String> tags;
        public Color favourite;
        public Map<String, Address> others;
        public transient String notOnTheWire;

        @Override
        public boolean equals(Object o) {
            return o instanceof Person p && Objects.equals(name, p.name) && age == p.age && Objects.equals(address, p.address)
                    && Objects.equals(tags, p.tags) && favourite == p.favourite && Objects.equals(others, p.others);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, age);
        }
    }

    /** A DTO whose public fields include one inherited from its superclass; getters are not used. */
    public static class Base {
        public long id;
    }

    public static class Derived extends Base {
        public String label;
        private int hidden;

        public transient int ignored;

        public int getHidden() { // not a property: getters and setters are not on the wire
            return hidden;
        }

        public void setHidden(int hidden) {
            this.hidden = hidden;
        }
    }

    /** A DTO with a one-String constructor, which Jackson would otherwise use to make one from a string. */
    public static class Named {
        public String name;

        public Named() {
        }

        public Named(String name) {
            this.name = name;
        }
    }

    /** Recursive DTO: a tree. */
    public static class Node {
        public String name;
        public List<Node> children;

        public Node() {
        }

        public Node(String name, Node... children) {
            this.name = name;
            this.children = List.of(children);
        }

        static Node chain(int depth) {
            Node n = new Node("leaf");
            for (int i = 0; i < depth; i++) {
                n = new Node("n" + i, n);
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && Objects.equals(name, n.name) && Objects.equals(children, n.children);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, children);
        }
    }

    public record Line(String item, int quantity, double price) {
    }

    /** A record containing a DTO and a list of records. */
    public record Order(long id, Person customer, List<Line> lines, Version schema, Set<Color> colors) {
    }

    /** Would turn on polymorphic typing if annotations were honoured. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
    public static class Annotated {
        public String value;
    }

    /** A protocol record of the kind Cordon announces endpoints with: Object values inside a map. */
    public record Protocol(String endpointId, Map<String, Object> properties, List<String> interfaces) {
    }

    public interface Values {
        boolean bool(boolean v);
        Boolean boolW(Boolean v);
        byte b(byte v);
        Byte bW(Byte v);
        short s(short v);
        Short sW(Short v);
        char c(char v);
        Character cW(Character v);
        int i(int v);
        Integer iW(Integer v);
        long l(long v);
        Long lW(Long v);
        float f(float v);
        Float fW(Float v);
        double d(double v);
        Double dW(Double v);
        String str(String v);
        Version version(Version v);
        Color color(Color v);
        byte[] bytes(byte[] v);
        int[] ints(int[] v);
        long[] longs(long[] v);
        double[] doubles(double[] v);
        boolean[] bools(boolean[] v);
        char[] chars(char[] v);
        Integer[] boxed(Integer[] v);
        Color[] colors(Color[] v);
        String[][] strings2(String[][] v);
        List<String>[] listArray(List<String>[] v);
        List<String> list(List<String> v);
        Set<Color> set(Set<Color> v);
        Collection<Long> coll(Collection<Long> v);
        Map<String, List<Integer>> map(Map<String, List<Integer>> v);
        Map<Integer, String> intKeys(Map<Integer, String> v);
        Map<Color, Double> enumKeys(Map<Color, Double> v);
        Map<String, String> strings(Map<String, String> v);
        Person dto(Person v);
        Derived derived(Derived v);
        Order record(Order v);
        Node tree(Node v);
        Annotated annotated(Annotated v);
        Named named(Named v);
    }

    public interface Calls {
        String greet(String name, int times);
        void nothing();
        void takesInt(int v);
        void takesLong(long v);
        void takesString(String v);
        void takesDouble(double v);
        void takesBytes(byte[] v);
        void takesTwo(String a, int b);
        void takesThree(String a, int b, int c);
        int returnsInt();
        Void returnsVoid();
        Promise<String> promise();
        CompletableFuture<Integer> completableFuture();
        CompletionStage<Person> completionStage();
        Future<Void> future();
        Promise<List<Order>> orders(Set<String> ids);
    }

    /** Inherited, default, static and Object methods. */
    public interface Parent {
        String inherited(int v);

        String toString();

        default String notRemote() {
            return "local";
        }

        static String alsoNotRemote() {
            return "static";
        }
    }

    public interface Child extends Parent {
        int own(String v);

        boolean equals(Object o);
    }

    /** A generic interface bound by a subinterface. */
    public interface Repository<T, K> {
        T get(K key);
        List<T> all();
        void put(K key, T value);
    }

    public interface People extends Repository<Person, String> {
        Promise<Map<String, Person>> index();
    }
}
