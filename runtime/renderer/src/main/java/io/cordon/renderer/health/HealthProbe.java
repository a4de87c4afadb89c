package io.cordon.renderer.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.Messages.Health.Kind;
import io.cordon.common.channel.Messages.Health.Problem;

/**
 * What is not working in this renderer, for the bootstrap's HEALTH reports: bundles not active, and
 * enabled DS components with a configuration that is unsatisfied for want of a reference or failed to
 * activate, as SCR's runtime DTOs tell. Registered as a {@code Supplier} (a type the bootstrap on the
 * class path shares) with {@value Health#PROBE_PROPERTY}{@code =probe}; the bootstrap calls it off the channel's thread.
 */
@Component(service = Supplier.class, immediate = true, property = Health.PROBE_PROPERTY + "=probe")
public final class HealthProbe implements Supplier<Health> {

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    @Activate
    public HealthProbe(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public Health get() {
        List<Problem> problems = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (!working(b)) {
                problems.add(new Problem(Kind.BUNDLE_INACTIVE, b.getSymbolicName() + " " + b.getVersion(), state(b.getState())));
            }
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (scr.isComponentEnabled(description)) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    Problem problem = problem(description, configuration);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        }
        return Health.of(problems);
    }

    /** A component configuration's problem, or null when it is satisfied or active (or waits for a configuration it requires). */
    static Problem problem(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        return switch (configuration.state) {
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> new Problem(Kind.COMPONENT_UNSATISFIED, description.name,
                    "missing " + Arrays.stream(configuration.unsatisfiedReferences).map(r -> reference(description, r))
                            .collect(Collectors.joining(", ")));
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> new Problem(Kind.COMPONENT_FAILED, description.name,
                    "activation failed: " + firstLine(configuration.failure));
            default -> null;
        };
    }

    private static String reference(ComponentDescriptionDTO description, UnsatisfiedReferenceDTO reference) {
        String service = Arrays.stream(description.references).filter(r -> r.name.equals(reference.name))
                .map(r -> r.interfaceName).findFirst().orElse("?");
        String target = reference.target == null || reference.target.isEmpty() || "(*)".equals(reference.target)
                ? "" : " " + reference.target;
        return "reference " + reference.name + " (" + service + target + ")";
    }

    private static boolean working(Bundle b) {
        return b.getHeaders("").get(Constants.FRAGMENT_HOST) != null
                || b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed (not resolved)";
            case Bundle.RESOLVED -> "resolved, not active";
            case Bundle.STOPPING -> "stopping";
            case Bundle.UNINSTALLED -> "uninstalled";
            default -> "state " + state;
        };
    }

    private static String firstLine(String text) {
        return text == null ? "?" : text.lines().findFirst().orElse("?");
    }
}
