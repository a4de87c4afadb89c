package ${package}.main;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ${package}.api.Greeter;
import ${package}.api.Page;

/**
 * The application's shell commands (scope {@code app}). {@code show} calls into a renderer process
 * through the {@link Page} proxy Cordon registered in main for it (the type {@code provides} Page).
 */
@Component(service = AppCommands.class, property = {"osgi.command.scope=app",
        "osgi.command.function=show", "osgi.command.function=greeting"})
public final class AppCommands {

    private final Greeter greeter;

    /** One proxy per running {@code page} renderer, tagged cordon.renderer.id and cordon.renderer.type. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(cordon.renderer.type=page)")
    private volatile List<Page> pages;

    @Activate
    public AppCommands(@Reference Greeter greeter) {
        this.greeter = greeter;
    }

    @Descriptor("ask a page renderer for a page: it greets through main, and shows what its whitelist refused")
    public String show(@Descriptor("a name") String name) {
        List<Page> now = pages;
        if (now.isEmpty()) {
            throw new IllegalStateException("no page renderer is running; cordon:renderers shows why, cordon:spawn page starts one");
        }
        return now.get(0).show(name);
    }

    @Descriptor("change main's greeting (main may; the renderers may not)")
    public String greeting(@Descriptor("a format with one %s, e.g. \"Hi, %s.\"") String format) {
        greeter.setGreeting(format);
        return "greeting is now " + format;
    }
}
