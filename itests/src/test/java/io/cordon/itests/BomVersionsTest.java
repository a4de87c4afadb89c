package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;

/**
 * cordon-bom cannot inherit Cordon's parent pom (importing it would bring all of the parent's
 * dependencyManagement along), so it names its versions again: they must be the ones Cordon is built with.
 */
public class BomVersionsTest {

    @Test
    public void theBomNamesTheVersionsCordonIsBuiltWith() throws Exception {
        Path root = Path.of(System.getProperty("cordon.root", ".."));
        Map<String, String> cordon = PomVersions.managed(root.resolve("pom.xml"));
        Map<String, String> bom = PomVersions.managed(root.resolve("bom/pom.xml"));
        assertTrue(bom.toString(), bom.size() > 10);
        long compared = bom.entrySet().stream().filter(e -> cordon.containsKey(e.getKey())).peek(e ->
                assertEquals("bom/pom.xml's version of " + e.getKey() + " against pom.xml's", cordon.get(e.getKey()), e.getValue()))
                .count();
        assertTrue("compared " + compared, compared > 10);
    }
}
