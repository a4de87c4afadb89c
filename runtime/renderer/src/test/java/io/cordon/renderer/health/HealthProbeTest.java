package io.cordon.renderer.health;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.cordon.common.channel.Messages.Health.Kind;
import io.cordon.common.channel.Messages.Health.Problem;

public class HealthProbeTest {

    @Test
    public void anUnsatisfiedReferenceNamesItsInterfaceAndTarget() {
        ComponentDescriptionDTO description = description("com.example.Bridge", reference("store", "com.example.Store"),
                reference("clock", "com.example.Clock"));
        ComponentConfigurationDTO configuration = configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {unsatisfied("store", "(*)"), unsatisfied("clock", "(tz=utc)")};
        assertEquals(new Problem(Kind.COMPONENT_UNSATISFIED, "com.example.Bridge",
                        "missing reference store (com.example.Store), reference clock (com.example.Clock (tz=utc))"),
                HealthProbe.problem(description, configuration));
    }

    @Test
    public void aFailedActivationGivesTheFirstLineOfItsFailure() {
        ComponentConfigurationDTO configuration = configuration(ComponentConfigurationDTO.FAILED_ACTIVATION);
        configuration.failure = "java.lang.IllegalStateException: no disk\n\tat com.example.C.activate(C.java:3)";
        assertEquals(new Problem(Kind.COMPONENT_FAILED, "c", "activation failed: java.lang.IllegalStateException: no disk"),
                HealthProbe.problem(description("c"), configuration));
    }

    @Test
    public void satisfiedActiveAndWaitingForConfigurationAreFine() {
        for (int state : new int[] {ComponentConfigurationDTO.SATISFIED, ComponentConfigurationDTO.ACTIVE,
                ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION}) {
            assertNull(HealthProbe.problem(description("c"), configuration(state)));
        }
    }

    private static ComponentDescriptionDTO description(String name, ReferenceDTO... references) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.references = references;
        return d;
    }

    private static ReferenceDTO reference(String name, String interfaceName) {
        ReferenceDTO r = new ReferenceDTO();
        r.name = name;
        r.interfaceName = interfaceName;
        return r;
    }

    private static UnsatisfiedReferenceDTO unsatisfied(String name, String target) {
        UnsatisfiedReferenceDTO u = new UnsatisfiedReferenceDTO();
        u.name = name;
        u.target = target;
        return u;
    }

    private static ComponentConfigurationDTO configuration(int state) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        return c;
    }
}
