package ${package}.preload;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ${package}.api.Greeter;
import ${package}.greetings.Greetings;

/**
 * The preload's bridge: takes the proxy of main's Greeter (a preload sees every proxy) and offers
 * renderer bundles only what a page needs, a greeting. Main's whitelist already refuses setGreeting;
 * this keeps renderer bundles from even compiling against it. Greetings is a local service, not a
 * proxy, so renderer bundles see it without any header.
 */
@Component
public final class GreetingBridge implements Greetings {

    private final Greeter greeter;

    @Activate
    public GreetingBridge(@Reference Greeter greeter) {
        this.greeter = greeter;
    }

    @Override
    public String greet(String name) {
        return greeter.greet(name);
    }
}
