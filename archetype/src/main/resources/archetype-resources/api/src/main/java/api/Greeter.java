package ${package}.api;

/**
 * Main's greeter. Registered remotable in main; the {@code page} renderer type's whitelist lets its
 * renderers call {@link #greet} only.
 */
public interface Greeter {

    /** A greeting for someone, e.g. "Hello, Ada!". */
    String greet(String name);

    /** Changes the greeting: a format with one {@code %s} for the name. Main's own business. */
    void setGreeting(String format);
}
