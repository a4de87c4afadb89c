package ${package}.greetings;

/** What renderer bundles may ask of main's Greeter, through the preload's bridge: a greeting, nothing else. */
public interface Greetings {

    /** A greeting for someone, e.g. "Hello, Ada!"; main refuses a name that is blank, too long or not printable. */
    String greet(String name);
}
