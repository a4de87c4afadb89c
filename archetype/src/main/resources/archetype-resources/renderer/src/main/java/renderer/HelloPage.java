package ${package}.renderer;

import org.osgi.framework.ServiceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ${package}.api.Greeter;
import ${package}.api.Page;
import ${package}.greetings.Greetings;

/**
 * A renderer bundle: runs in each {@code page} renderer's own JVM. Remotable, so main (whose type
 * config {@code provides} Page) imports it and calls it over the renderer's channel. It greets through
 * the preload's bridge ({@link Greetings}); main's raw Greeter proxy, which the preload exposes as well,
 * it uses only to show that main's whitelist, not the bridge, is what refuses setGreeting.
 */
@Component(property = "service.exported.interfaces=${package}.api.Page")
public final class HelloPage implements Page {

    private final Greetings greetings;
    private final Greeter greeter;

    @Activate
    public HelloPage(@Reference Greetings greetings, @Reference Greeter greeter) {
        this.greetings = greetings;
        this.greeter = greeter;
    }

    @Override
    public String show(String name) {
        return greetings.greet(name) + "\n" + tryToChangeTheGreeting() + "\nmade by renderer pid " + ProcessHandle.current().pid();
    }

    /** The whitelist allows greet only: the proxy refuses setGreeting here, before anything reaches main. */
    private String tryToChangeTheGreeting() {
        try {
            greeter.setGreeting("Goodbye, %s!");
            return "setGreeting: allowed (the type's whitelist allows more than greet)";
        } catch (ServiceException e) {
            return "setGreeting: refused (" + e.getMessage() + ")";
        }
    }
}
