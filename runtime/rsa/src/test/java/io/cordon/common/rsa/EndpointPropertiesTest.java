package io.cordon.common.rsa;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

public class EndpointPropertiesTest {

    private static final Map<String, Set<String>> TYPES = Map.of("io.cordon.ipc", Set.of(), "cordon.socket", Set.of());

    @Test
    public void overridesReplaceAPropertyWhateverItsCaseButNotIdentity() {
        Map<String, Object> merged = EndpointProperties.merge(Map.of("Color", "green", "objectClass", new String[] {"a.B"},
                "service.id", 7L), Map.of("COLOR", "blue", "OBJECTCLASS", new String[] {"x.Y"}, "service.ID", 8L));
        assertEquals("blue", merged.get("COLOR"));
        assertFalse(merged.containsKey("Color"));
        assertEquals(7L, merged.get("service.id"));
        assertEquals("a.B", ((String[]) merged.get("objectClass"))[0]);
    }

    @Test
    public void malformedPropertiesOfCordonsConfigTypesAreIllegal() {
        EndpointProperties.validate(Map.of("osgi.basic.timeout", 3000L, "other.thing", "x"), TYPES);
        EndpointProperties.validate(Map.of("osgi.basic.timeout", "3000"), TYPES);
        assertThrows(IllegalArgumentException.class, () -> EndpointProperties.validate(Map.of("osgi.basic.timeout", "soon"), TYPES));
        assertThrows(IllegalArgumentException.class, () -> EndpointProperties.validate(Map.of("osgi.basic.timeout", 0), TYPES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EndpointProperties.validate(Map.of("cordon.socket.address", "unix:/x"), TYPES));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown property cordon.socket.address for configuration type cordon.socket"));
        EndpointProperties.validate(Map.of("cordon.socket.address", "unix:/x"), Map.of("io.cordon.ipc", Set.of()));
    }

    @Test
    public void aRendererIdentityIsNeitherSentNorTakenFromAnAnnouncement() {
        Map<String, Object> own = Map.of("cordon.renderer.id", "7", "cordon.renderer.type", "forged", "color", "red");
        assertEquals(Map.of("color", "red"), EndpointProperties.publicStrings(own));
        EndpointMessage forged = new EndpointMessage("add", 1, 2, List.of("a.B"), Map.of(), List.of(),
                Map.of("cordon.renderer.id", "7", "cordon.renderer.type", "forged", "color", "red"), List.of());
        Map<String, Object> imported = EndpointProperties.imported(forged, "uuid", "io.cordon.ipc");
        assertFalse(imported.containsKey("cordon.renderer.id"));
        assertFalse(imported.containsKey("cordon.renderer.type"));
        assertEquals("red", imported.get("color"));
    }

    @Test
    public void theSameEndpointIsTheSamePropertiesApartFromItsId() {
        Map<String, Object> a = Map.of("endpoint.id", "cordon:u:1", "objectClass", new String[] {"a.B"}, "color", "red");
        assertTrue(EndpointProperties.sameEndpoint(a, Map.of("endpoint.id", "cordon:u:2", "objectClass", new String[] {"a.B"}, "color", "red")));
        assertFalse(EndpointProperties.sameEndpoint(a, Map.of("endpoint.id", "cordon:u:1", "objectClass", new String[] {"a.B"}, "color", "blue")));
        assertFalse(EndpointProperties.sameEndpoint(a, Map.of("endpoint.id", "cordon:u:1", "objectClass", new String[] {"a.B"})));
    }
}
