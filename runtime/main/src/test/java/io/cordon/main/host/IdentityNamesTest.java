package io.cordon.main.host;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

import io.cordon.api.Renderers;
import io.cordon.common.channel.Contract;

/**
 * README promises one name for a renderer's identity: the framework property its bundles read and the
 * service property of main's proxies of its services. The API cannot depend on the channel's contract
 * (nor the renderer's class path on the API), so the two constants are pinned here.
 */
public class IdentityNamesTest {

    @Test
    public void aRendererReadsItsIdentityUnderTheNamesMainsProxiesCarry() {
        assertEquals(Renderers.RENDERER_ID, Contract.RENDERER_ID);
        assertEquals(Renderers.RENDERER_TYPE, Contract.RENDERER_TYPE);
    }
}
