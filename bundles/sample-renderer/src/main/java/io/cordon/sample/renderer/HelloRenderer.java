package io.cordon.sample.renderer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The smallest useful renderer bundle: a DS component that says where it runs. Its output goes to
 * the renderer's log, which main relays prefixed with the renderer id.
 */
@Component(immediate = true, service = HelloRenderer.class)
public final class HelloRenderer {

    private final String where;

    @Activate
    public HelloRenderer(BundleContext context) {
        this.where = "renderer " + context.getProperty("cordon.renderer.id") + " (pid " + ProcessHandle.current().pid() + ")";
        System.out.println("minimal renderer up in " + where);
    }

    @Deactivate
    void deactivate() {
        System.out.println("minimal renderer stopping in " + where);
    }
}
