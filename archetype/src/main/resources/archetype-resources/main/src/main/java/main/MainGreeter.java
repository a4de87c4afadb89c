package ${package}.main;

import org.osgi.service.component.annotations.Component;

import ${package}.api.Greeter;

/**
 * Main's greeter, marked remotable ({@code service.exported.interfaces}): the first half of Cordon's
 * double opt-in; a renderer type's whitelist is the second. Every argument may come from a renderer,
 * so every argument is checked.
 */
@Component(property = "service.exported.interfaces=${package}.api.Greeter")
public final class MainGreeter implements Greeter {

    static final int MAX_NAME = 100;

    private volatile String format = "Hello, %s!";

    @Override
    public String greet(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a name is 1 to " + MAX_NAME + " printable characters");
        }
        return String.format(format, name.strip());
    }

    @Override
    public void setGreeting(String format) {
        if (format == null || format.length() > MAX_NAME || format.split("%s", -1).length != 2
                || format.replace("%s", "").contains("%")) {
            throw new IllegalArgumentException("a greeting is a format with one %s, e.g. \"Hello, %s!\"");
        }
        this.format = format;
    }
}
