package io.cordon.itests;

import static io.cordon.itests.RendererFixture.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererHealth;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.Renderers;

/**
 * Spare renderers ({@code spare.renderers = 1}): a spawn and a crash restart take the waiting spare, which
 * becomes the type's renderer (its id, its bundles, its proxies) in its sandbox, and another spare follows; a type
 * edit that changes the process makes the spare unusable, and it is replaced; a spare gives way to a renderer
 * that needs its room. Nothing honest is audited. The class runs with max.renderers = 2.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SpareRendererIT {

    private static final Duration SPARE_WAIT = Duration.ofSeconds(RendererFixture.WAIT_S);
    private static final List<String> TYPES = List.of("spare-strict", "spare-crash", "spare-edit", "spare-room-a", "spare-room-b");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private RendererFixture fixture;
    private LogCapture log;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Before
    public void setUp() throws Exception {
        fixture = new RendererFixture(context, configAdmin);
        fixture.configure("io.cordon.supervisor", Map.of("spare.renderers", 1, "max.renderers", 2));
        log = new LogCapture(context);
    }

    /** No type, so no spare: none is left running. */
    @After
    public void tearDown() throws Exception {
        try {
            assertEquals("nothing honest is audited: " + log.problems(), 0, log.count(LogLevel.AUDIT, "bad-message"));
        } finally {
            log.close();
            for (String type : TYPES) {
                fixture.removeType(type);
            }
            Poll.until(() -> "no renderer nor spare left, have " + renderers().list(), () -> renderers().list().stream()
                    .noneMatch(r -> r.state() != RendererState.GONE) ? Boolean.TRUE : null, SPARE_WAIT);
        }
    }

    /** A spawn takes the spare, sandboxed as its type wants (strict: never without one), and a new spare follows. */
    @Test
    public void aSpawnTakesTheSpareInItsSandbox() throws Exception {
        String type = sampleType("spare-strict", "never", Map.of("sandbox", "strict"));
        RendererInfo spare = awaitSpare(-1);
        assertEquals("-", spare.type());
        assertTrue("sandboxed: " + spare.sandboxLevel(), spare.sandboxLevel().isolated());
        RendererInfo r = await(renderers().spawn(type));
        assertEquals("the spare's process", spare.pid(), r.pid());
        assertTrue("the spare's id is gone with it", renderers().get(spare.id()).isEmpty());
        assertEquals(type, r.type());
        assertEquals(RendererState.READY, r.state());
        assertEquals(RendererHealth.OK, r.health());
        assertEquals(spare.sandboxLevel(), r.sandboxLevel());
        assertIdentity(r);
        String lb = await(renderers().exec(r.id(), "lb"));
        assertTrue(lb, lb.contains("Cordon minimal renderer"));
        assertNotEquals("another spare", spare.pid(), awaitSpare(spare.pid()).pid());
        assertEquals(GoneReason.CLEAN_EXIT, await(renderers().stop(r.id())).gone());
    }

    /** A renderer killed comes back under its id in the spare's process, restart counted, as from a cold start. */
    @Test
    public void aCrashRestartTakesTheSpare() throws Exception {
        String type = sampleType("spare-crash", "on-crash", Map.of());
        RendererInfo first = await(renderers().spawn(type));
        RendererInfo spare = awaitSpare(first.pid());
        assertEquals(GoneReason.KILLED, await(renderers().kill(first.id())).gone());
        RendererInfo back = Poll.until("renderer " + first.id() + " READY again", () -> renderers().get(first.id())
                .filter(r -> r.state() == RendererState.READY && r.restarts() == 1).orElse(null), SPARE_WAIT);
        assertEquals("the spare's process", spare.pid(), back.pid());
        assertEquals(type, back.type());
        assertIdentity(back);
        assertTrue("the spare's id is gone with it", renderers().get(spare.id()).isEmpty());
        await(renderers().stop(back.id()));
    }

    /** A heap edit changes the process: the waiting spare is stopped, a new one has the new heap and is taken. */
    @Test
    public void aTypeEditThatChangesTheProcessReplacesTheSpare() throws Exception {
        String type = sampleType("spare-edit", "never", Map.of("heap.mb", 64));
        RendererInfo before = awaitSpare(-1);
        sampleType(type, "never", Map.of("heap.mb", 80));
        RendererInfo after = awaitSpare(before.pid());
        Poll.untilTrue("the unusable spare " + before.id() + " stopped",
                () -> ProcessHandle.of(before.pid()).map(p -> !p.isAlive()).orElse(true));
        assertTrue(jvmOptions(after.pid()), jvmOptions(after.pid()).contains("-Xmx80m"));
        RendererInfo r = await(renderers().spawn(type));
        assertEquals("the new spare's process", after.pid(), r.pid());
        await(renderers().stop(r.id()));
    }

    /** At max.renderers, a renderer that no spare fits is spawned all the same: the spare makes room. */
    @Test
    public void aSpareGivesWayToARendererThatNeedsItsRoom() throws Exception {
        String a = sampleType("spare-room-a", "never", Map.of("heap.mb", 64));
        RendererInfo first = await(renderers().spawn(a));
        RendererInfo spare = awaitSpare(first.pid());
        String b = sampleType("spare-room-b", "never", Map.of("heap.mb", 80));
        RendererInfo second = await(renderers().spawn(b));
        assertEquals(RendererState.READY, second.state());
        assertNotEquals("no spare of its settings: a new process", spare.pid(), second.pid());
        Poll.untilTrue("the spare " + spare.id() + " stopped for it", () -> ProcessHandle.of(spare.pid()).map(p -> !p.isAlive()).orElse(true));
        await(renderers().stop(first.id()));
        await(renderers().stop(second.id()));
    }

    /** The renderer's bundles see the id main gave it at adoption (the sample renderer logs it). */
    private void assertIdentity(RendererInfo r) {
        String line = "minimal renderer up in renderer " + r.id() + " (pid " + r.pid() + ")";
        assertNotNull("logged: " + line, Poll.until(line, () -> log.find(LogLevel.INFO, line)));
    }

    /** The waiting spare, once there is one that is not {@code notPid}. */
    private RendererInfo awaitSpare(long notPid) {
        return Poll.until(() -> "a spare renderer, have " + renderers().list(), () -> renderers().list().stream()
                .filter(r -> r.state() == RendererState.SPARE && r.pid() != notPid).findFirst().orElse(null), SPARE_WAIT);
    }

    private static String jvmOptions(long pid) throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    private String sampleType(String name, String restart, Map<String, Object> settings) throws Exception {
        return fixture.type(name, restart, Dist.home().resolve("renderer/sample").toString(), settings);
    }

    private Renderers renderers() {
        return fixture.renderers();
    }
}
