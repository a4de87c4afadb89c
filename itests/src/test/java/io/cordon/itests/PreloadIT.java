package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import io.cordon.api.RendererInfo;
import io.cordon.itests.preload.bridge.ShoutBridgeActivator;
import io.cordon.itests.preload.renderer.LookoutActivator;
import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Lookout;
import io.cordon.itests.rsa.api.Shout;
import io.cordon.itests.rsa.api.Vault;

/**
 * The preload layer inside real renderer JVMs: main's Echo and Vault are remotable and whitelisted, yet
 * a renderer bundle (start level 3) sees their raw proxies only where a preload bundle (level 2) names
 * them in {@code Cordon-Expose}; a preload can instead register a curated service of its own. What the
 * renderer bundle sees is asked through its {@link Lookout}, provided back to main.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PreloadIT {

    private static final String ECHO = Echo.class.getName();
    private static final String VAULT = Vault.class.getName();
    private static final List<String> IMPORTED = List.of("imported");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final CountingEcho echo = new CountingEcho();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private RendererFixture fixture;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Export-Package", RsaIT.API + ";version=\"1.0.0\"");
        return probe;
    }

    @Before
    public void registerEcho() {
        fixture = new RendererFixture(context, configAdmin);
        registrations.add(echo.register(context));
    }

    @After
    public void cleanUp() throws IOException {
        registrations.forEach(ServiceRegistration::unregister);
        for (String type : types) {
            fixture.removeType(type);
        }
    }

    @Test
    public void aRendererBundleDoesNotSeeTheRawProxyOfAWhitelistedService() throws Exception {
        Lookout lookout;
        try (LogCapture log = new LogCapture(context)) {
            RendererInfo r = spawn("hidden", preload -> RsaIT.apiBundle(preload.resolve("api.jar")));
            lookout = lookout(r);
            assertEquals("the proxy is in the renderer's registry", IMPORTED, lookout.findAsSystemBundle(ECHO));
            assertEquals("but not found by the renderer bundle", List.of(), lookout.find(ECHO));
            assertNotNull("the renderer names the hidden proxy and the fix:\n" + log.problems(), Poll.until("the renderer's line",
                    () -> log.find(LogLevel.INFO, "[renderer " + r.id() + " ", "hidden from renderer bundle", "Cordon-Expose: " + ECHO)));
        }
        assertEquals("nor tracked", List.of(), lookout.tracking());

        registerVault();
        Poll.untilTrue("Vault's proxy in the renderer", () -> !lookout.findAsSystemBundle(VAULT).isEmpty());
        assertEquals(List.of(), lookout.find(VAULT));
        assertFalse("the registration event of a proxy imported later is withheld: " + lookout.heard(),
                lookout.heard().contains(VAULT));
    }

    @Test
    public void aRendererBundleSeesTheProxiesItsPreloadExposes() throws Exception {
        Lookout lookout = lookout(spawn("exposed",
                preload -> RsaIT.apiBundle(preload.resolve("api.jar"), "Cordon-Expose", ECHO + ", " + VAULT)));
        assertEquals(IMPORTED, lookout.find(ECHO));
        assertEquals(IMPORTED, lookout.tracking());

        registerVault();
        Poll.untilTrue("Vault's proxy seen by the renderer bundle", () -> lookout.find(VAULT).equals(IMPORTED));
        assertTrue("the registration event reached the renderer bundle: " + lookout.heard(), lookout.heard().contains(VAULT));
    }

    @Test
    public void aPreloadCuratesAServiceOnTheProxyThatRendererBundlesCallThroughMain() throws Exception {
        Lookout lookout = lookout(spawn("curated", preload -> {
            RsaIT.apiBundle(preload.resolve("api.jar"));
            TestJars.bundle(preload.resolve("bridge.jar"), "io.cordon.itests.preload.bridge", "1.0.0",
                    List.of(ShoutBridgeActivator.class), "Bundle-Activator", ShoutBridgeActivator.class.getName(),
                    "Import-Package", "org.osgi.framework,org.osgi.util.tracker," + RsaIT.API);
        }));
        assertEquals("the raw proxy stays hidden", List.of(), lookout.find(ECHO));
        assertEquals("the preload's own service is not an imported one", List.of("local"), lookout.find(Shout.class.getName()));
        int before = echo.echoes.get();
        assertEquals("ECHO:HELLO", lookout.shout("hello"));
        assertEquals("main's Echo ran once for it", before + 1, echo.echoes.get());
    }

    /**
     * Exposure is read at each lookup and event: a preload bundle hot-deployed into (or removed from) the
     * running renderer changes what the renderer bundle finds at once. A tracker the renderer bundle opened
     * before missed the registration event, and holds the proxy once the bundle restarts (here: updated).
     */
    @Test
    public void exposureFollowsPreloadBundlesDeployedIntoTheRunningRenderer() throws Exception {
        Path dir = Dist.tempDir("preload-hot");
        RendererInfo r = spawn("hot", dir, preload -> RsaIT.apiBundle(preload.resolve("api.jar")));
        Lookout lookout = lookout(r);
        assertEquals(List.of(), lookout.find(ECHO));

        Path exposeJar = dir.resolve("preload/expose.jar");
        TestJars.bundle(exposeJar, "io.cordon.itests.expose", "1.0.0", List.of(), "Cordon-Expose", ECHO);
        Poll.untilTrue("Echo exposed by the dropped preload bundle", () -> lookout.find(ECHO).equals(IMPORTED));
        assertEquals("a tracker opened before is not told", List.of(), lookout.tracking());

        lookoutJar(dir.resolve("bundles/lookout.jar"), "2.0.0");
        Poll.untilTrue("the updated renderer bundle's tracker holds the proxy",
                () -> answers(r, l -> l.tracking().equals(IMPORTED)));

        Files.delete(exposeJar);
        Poll.untilTrue("Echo hidden again once the preload bundle is gone", () -> answers(r, l -> l.find(ECHO).isEmpty()));
    }

    // ---- helpers ----

    private interface PreloadFolder {
        void fill(Path preload) throws IOException;
    }

    /** A type whose renderer bundle is the Lookout, Echo (echo only) and Vault whitelisted; one renderer of it. */
    private RendererInfo spawn(String name, PreloadFolder preloadJars) throws Exception {
        return spawn(name, Dist.tempDir("preload-" + name), preloadJars);
    }

    /** As above, with the type's folders {@code preload} and {@code bundles} in {@code dir}. */
    private RendererInfo spawn(String name, Path dir, PreloadFolder preloadJars) throws Exception {
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        preloadJars.fill(preload);
        lookoutJar(bundles.resolve("lookout.jar"), "1.0.0");
        types.add(fixture.type(name, "never", bundles.toString(), Map.of("preload", preload.toString(),
                "whitelist", ECHO + "#echo," + VAULT, "provides", Lookout.class.getName())));
        return RendererFixture.await(fixture.renderers().spawn(name));
    }

    static void lookoutJar(Path target, String version) throws IOException {
        TestJars.bundle(target, "io.cordon.itests.preload.renderer", version, List.of(LookoutActivator.class),
                "Bundle-Activator", LookoutActivator.class.getName(),
                "Import-Package", "org.osgi.framework,org.osgi.util.tracker," + RsaIT.API);
    }

    private Lookout lookout(RendererInfo r) {
        return RsaITSupport.fromRenderer(context, Lookout.class, r.id());
    }

    /** Whether the renderer's current Lookout says yes; false while it is being replaced. */
    private boolean answers(RendererInfo r, java.util.function.Predicate<Lookout> question) {
        try {
            return question.test(lookout(r));
        } catch (ServiceException e) {
            return false;
        }
    }

    private void registerVault() {
        registrations.add(context.registerService(Vault.class, () -> "opened", RsaITSupport.remotable()));
    }
}
