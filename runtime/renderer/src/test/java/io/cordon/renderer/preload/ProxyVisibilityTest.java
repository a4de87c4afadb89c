package io.cordon.renderer.preload;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Set;

import org.junit.Test;

public class ProxyVisibilityTest {

    private static final int SYSTEM = 0;
    private static final int RUNTIME = 1;
    private static final int PRELOAD = 2;
    private static final int RENDERER = 3;
    private static final String[] ECHO = {"com.example.Echo"};
    private static final String[] ECHO_AND_ADMIN = {"com.example.Echo", "com.example.Admin"};

    @Test
    public void rendererBundlesDoNotSeeAnImportedProxyNobodyExposes() {
        assertFalse(ProxyVisibility.visible(RENDERER, true, ECHO, Set.of()));
        assertFalse(ProxyVisibility.visible(RENDERER, true, ECHO, Set.of("com.example.Other")));
        assertFalse("a bundle above the renderer level too", ProxyVisibility.visible(7, true, ECHO, Set.of()));
    }

    @Test
    public void theSystemBundleTheRuntimeAndPreloadBundlesSeeEveryProxy() {
        for (int level : new int[] {SYSTEM, RUNTIME, PRELOAD}) {
            assertTrue("level " + level, ProxyVisibility.visible(level, true, ECHO, Set.of()));
        }
    }

    @Test
    public void servicesThatAreNotImportedAreNeverHidden() {
        assertTrue("a preload's curated service", ProxyVisibility.visible(RENDERER, false, ECHO, Set.of()));
    }

    @Test
    public void anExposedInterfaceIsVisibleToRendererBundles() {
        assertTrue(ProxyVisibility.visible(RENDERER, true, ECHO, Set.of("com.example.Echo")));
        assertTrue(ProxyVisibility.visible(RENDERER, true, ECHO, Set.of("com.example.Other", "com.example.Echo")));
    }

    @Test
    public void theWildcardExposesEveryProxy() {
        assertTrue(ProxyVisibility.visible(RENDERER, true, ECHO_AND_ADMIN, Set.of(ProxyVisibility.ALL)));
    }

    @Test
    public void aProxyWithSeveralInterfacesNeedsEveryOneExposed() {
        assertFalse("the proxy would hand out Admin too", ProxyVisibility.visible(RENDERER, true, ECHO_AND_ADMIN, Set.of("com.example.Echo")));
        assertTrue(ProxyVisibility.visible(RENDERER, true, ECHO_AND_ADMIN, Set.of("com.example.Echo", "com.example.Admin")));
    }

    @Test
    public void aProxyWithoutInterfacesIsHidden() {
        assertFalse(ProxyVisibility.visible(RENDERER, true, null, Set.of("com.example.Echo")));
        assertFalse(ProxyVisibility.visible(RENDERER, true, new String[0], Set.of("com.example.Echo")));
    }

    @Test
    public void aBundleWithoutAKnownLevelSeesNoHiddenProxy() {
        assertFalse(ProxyVisibility.visible(ProxyVisibility.UNKNOWN_LEVEL, true, ECHO, Set.of()));
    }

    @Test
    public void theHeaderIsACommaSeparatedListOfInterfaces() {
        assertEquals(Set.of("a.B", "c.D"), ProxyVisibility.parse(" a.B , c.D,,"));
        assertEquals(Set.of("*"), ProxyVisibility.parse("*"));
        assertEquals(Set.of(), ProxyVisibility.parse(null));
        assertEquals(Set.of(), ProxyVisibility.parse("  "));
    }
}
