package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererListener;

/**
 * {@code trusted=true} in production mode (the default): no renderer of such a type ever starts, and the
 * refusal says how to fix it, both to whoever spawns one and in the log.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TrustedRendererIT {

    private static final String FIX = "remove trusted=true";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commands;

    private RendererFixture fixture;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Before
    public void fixture() {
        fixture = new RendererFixture(context, configAdmin);
    }

    @After
    public void cleanUp() throws IOException {
        fixture.removeType("trusted");
    }

    @Test
    public void aTrustedTypeIsRefusedInProductionWithAnErrorNamingTheFix() throws Exception {
        List<RendererEvent> events = new CopyOnWriteArrayList<>();
        ServiceRegistration<RendererListener> listener = context.registerService(RendererListener.class, events::add, null);
        try (LogCapture log = new LogCapture(context)) {
            String bundles = Dist.mkdirs(Dist.tempDir("trusted").resolve("bundles")).toString();
            fixture.type("trusted", "on-crash", bundles, Map.of("trusted", true));

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> RendererFixture.await(fixture.renderers().spawn("trusted")));
            assertTrue(refused.getMessage(), refused.getMessage().contains("production mode refuses")
                    && refused.getMessage().contains(FIX) && refused.getMessage().contains("--dev"));
            Exception shell = assertThrows(Exception.class, () -> Gogo.execute(commands, "cordon:spawn trusted"));
            assertTrue("cordon:spawn says it too: " + shell.getMessage(), shell.getMessage().contains(FIX));
            assertNotNull("the ERROR line:\n" + log.problems(), log.find(LogLevel.ERROR, "renderer type trusted is trusted",
                    "production mode refuses", FIX + " from the type, or run the launcher with --dev"));

            // a type that keeps instances running is refused the same way
            long before = log.count(LogLevel.ERROR, "renderer type trusted is trusted");
            fixture.type("trusted", "on-crash", bundles, Map.of("trusted", true, "instances", 1));
            Poll.untilTrue("one more ERROR line, for the instance the type wants",
                    () -> log.count(LogLevel.ERROR, "renderer type trusted is trusted") == before + 1);
        } finally {
            listener.unregister();
        }
        assertTrue("no renderer of the type runs", fixture.renderers().list().stream().noneMatch(r -> r.type().equals("trusted")));
        assertEquals("no renderer of the type ever started, so there is no renderer event", List.of(),
                events.stream().filter(e -> e.renderer().type().equals("trusted")).toList());
    }
}
