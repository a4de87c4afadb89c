package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Lookout;
import io.cordon.itests.rsa.api.Vault;

/**
 * {@code trusted=true} where it is allowed, in dev mode ({@code cordon.mode=dev}): every spawn logs a
 * WARNING, and the renderer gets every remotable main service, whitelisted or not, as raw proxies its
 * renderer bundles see without any {@code Cordon-Expose}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TrustedRendererDevIT {

    private static final String TYPE = "trusted";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private RendererFixture fixture;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework(), frameworkProperty("cordon.mode").value("dev")};
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Export-Package", RsaIT.API + ";version=\"1.0.0\"");
        return probe;
    }

    /** Echo is whitelisted to the type, Vault is not; both are remotable. */
    @Before
    public void setUp() throws IOException {
        fixture = new RendererFixture(context, configAdmin);
        registrations.add(new CountingEcho().register(context));
        registrations.add(context.registerService(Vault.class, () -> "opened", RsaITSupport.remotable()));
        Path dir = Dist.tempDir("trusted-dev");
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        RsaIT.apiBundle(preload.resolve("api.jar"));
        PreloadIT.lookoutJar(bundles.resolve("lookout.jar"), "1.0.0");
        fixture.type(TYPE, "on-crash", bundles.toString(), Map.of("trusted", true, "preload", preload.toString(),
                "whitelist", Echo.class.getName() + "#echo", "provides", Lookout.class.getName()));
    }

    @After
    public void cleanUp() throws IOException {
        registrations.forEach(ServiceRegistration::unregister);
        fixture.removeType(TYPE);
    }

    @Test
    public void everySpawnOfATrustedRendererLogsAWarning() throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            RendererInfo r = RendererFixture.await(fixture.renderers().spawn(TYPE));
            String warning = "renderer " + r.id() + " of type " + TYPE + " is TRUSTED";
            assertEquals(log.problems(), 1, log.count(LogLevel.WARN, warning, "development only"));

            RendererFixture.await(fixture.renderers().kill(r.id()));
            Poll.untilTrue("renderer " + r.id() + " restarted by its on-crash policy", () -> fixture.renderers().get(r.id())
                    .filter(again -> again.restarts() == 1 && again.state() == RendererState.READY).isPresent());
            assertEquals("the restart logged it again:\n" + log.problems(), 2, log.count(LogLevel.WARN, warning));
            RendererFixture.await(fixture.renderers().stop(r.id()));
        }
    }

    @Test
    public void aTrustedRendererGetsEveryRemotableServiceAsRawProxiesItsBundlesSee() throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            RendererInfo r = RendererFixture.await(fixture.renderers().spawn(TYPE));
            Lookout lookout = RsaITSupport.fromRenderer(context, Lookout.class, r.id());
            assertEquals("the whitelisted Echo, without Cordon-Expose", List.of("imported"), lookout.find(Echo.class.getName()));
            assertEquals("Vault, which no whitelist names", List.of("imported"), lookout.find(Vault.class.getName()));
            assertNotNull("the renderer says hiding is off:\n" + log.problems(), Poll.until("the renderer's line",
                    () -> log.find(LogLevel.INFO, "[renderer " + r.id() + " " + TYPE + "]", "NOT hidden")));
            RendererFixture.await(fixture.renderers().stop(r.id()));
        }
    }
}
