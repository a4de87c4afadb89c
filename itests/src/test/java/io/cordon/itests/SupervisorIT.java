package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererListener;
import io.cordon.api.RendererState;
import io.cordon.api.Renderers;
import io.cordon.itests.slow.SlowActivator;

/**
 * The supervisor while something else happens: late answers, stops during start, kills during a
 * restart, the renderer limit, and a storm of edits. After each, the live renderers of every type
 * equal its instances, nothing is audited that was honest, and no renderer runs that no type manages.
 * The class runs with max.renderers = 4 and exec.timeout.ms = 1000.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SupervisorIT {

    private static final long WAIT_S = 60;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private RendererFixture fixture;
    private Path bundles;
    private final BlockingQueue<RendererEvent> events = new LinkedBlockingQueue<>();
    private ServiceRegistration<RendererListener> listener;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Before
    public void setUp() throws Exception {
        fixture = new RendererFixture(context, configAdmin);
        fixture.configure("io.cordon.supervisor", Map.of("max.renderers", 4, "exec.timeout.ms", 1_000L));
        bundles = Dist.mkdirs(Dist.tempDir("supervisor").resolve("bundles"));
        TestJars.activatorBundle(bundles.resolve("slow.jar"), "io.cordon.itests.slow", "1.0.0", SlowActivator.class);
        listener = context.registerService(RendererListener.class, events::add, null);
    }

    /** Whatever a test left (a failed one included): no type, no renderer, so the next test has all the room. */
    @After
    public void tearDown() throws Exception {
        listener.unregister();
        for (String type : List.of("late", "storm1", "phoenix", "big", "small")) {
            fixture.removeType(type);
        }
        Files.deleteIfExists(Path.of(context.getProperty(CordonOptions.DEPLOY_DIR)).resolve("io.cordon.renderer.type-storm.cfg"));
        Poll.until(() -> "no renderer left, have " + renderers().list(), () -> renderers().list().stream()
                .noneMatch(r -> r.state() != RendererState.GONE) ? Boolean.TRUE : null, java.time.Duration.ofSeconds(WAIT_S));
    }

    @Test
    public void aLateExecAnswerIsDroppedAndTheRendererLivesOn() throws Exception {
        String type = fixture.type("late", "never", bundles.toString(), Map.of());
        RendererInfo r = await(renderers().spawn(type));
        try (LogCapture log = new LogCapture(context)) {
            try {
                await(renderers().exec(r.id(), "slow:sleep 3000"));
                fail("main stops waiting after exec.timeout.ms");
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("did not answer within 1000 ms"));
            }
            Thread.sleep(3_000); // the answer arrives late meanwhile
            assertEquals("slept 10 ms", await(renderers().exec(r.id(), "slow:sleep 10")).strip());
            assertEquals(RendererState.READY, renderers().get(r.id()).orElseThrow().state());
            assertEquals("no audit: " + log.problems(), 0, log.count(LogLevel.AUDIT, "renderer " + r.id()));
        }
        await(renderers().stop(r.id()));
        fixture.removeType(type);
    }

    @Test
    public void renderersStoppedWhileStartingAreStoppedNotAuditedNorReplaced() throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            String type = fixture.type("storm1", "on-crash", bundles.toString(), Map.of("instances", 3));
            Thread.sleep(300); // the three are STARTING (each takes 1.5 s)
            fixture.type(type, "on-crash", bundles.toString(), Map.of("instances", 1));
            awaitLive(type, 1);
            Thread.sleep(2_000); // nothing comes back
            assertEquals(1, live(type).size());
            assertEquals("no audit: " + log.problems(), 0, log.count(LogLevel.AUDIT, "type storm1"));
            for (RendererEvent e : events) {
                if (e.kind() == RendererEvent.Kind.GONE && e.renderer().type().equals(type)) {
                    assertTrue("stopped as asked: " + e, e.renderer().gone() == GoneReason.CLEAN_EXIT
                            || e.renderer().gone() == GoneReason.KILLED);
                }
            }
            fixture.removeType(type);
            awaitLive(type, 0);
        }
    }

    @Test
    public void aRendererKilledWhileRestartingIsRestartedAgain() throws Exception {
        String type = fixture.type("phoenix", "on-crash", bundles.toString(), Map.of("instances", 1));
        RendererInfo first = awaitLive(type, 1).get(0);
        await(renderers().kill(first.id()));
        RendererInfo restarting = Poll.until("the restart STARTING", () -> renderers().get(first.id())
                .filter(r -> r.state() == RendererState.STARTING && r.pid() > 0).orElse(null));
        ProcessHandle.of(restarting.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL from outside, mid-start
        RendererEvent back = next(e -> e.kind() == RendererEvent.Kind.READY && e.renderer().id() == first.id()
                && e.renderer().restarts() >= 2);
        assertNotNull(back);
        assertEquals(1, live(type).size());
        fixture.removeType(type);
        awaitLive(type, 0);
    }

    @Test
    public void aTypeShortOfRoomWaitsThenGetsBackToItsCount() throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            String big = fixture.type("big", "on-crash", bundles.toString(), Map.of("instances", 3));
            awaitLive(big, 3);
            // a long backoff: the crash restart below comes after the squatter has taken the room
            String small = fixture.type("small", "on-crash", bundles.toString(), Map.of("instances", 2, "restart.backoff.ms", 3_000L));
            awaitLive(small, 1); // max.renderers = 4: one waits
            assertNotNull(Poll.until("the WARN line", () -> log.find(LogLevel.WARN, "renderer type small", "max.renderers")));
            // a crash restart refused at the limit is not lost: kill one of small's while a hand-spawned renderer takes its room
            RendererInfo victim = live(small).get(0);
            fixture.type(big, "on-crash", bundles.toString(), Map.of("instances", 2)); // room for one
            awaitLive(small, 2);
            long warnings = log.count(LogLevel.WARN, "renderer type small", "max.renderers");
            await(renderers().kill(victim.id()));
            RendererInfo squatter = await(renderers().spawn(big));
            Poll.until(() -> "the restart refused at the limit, logged", () -> log.count(LogLevel.WARN, "renderer type small", "max.renderers")
                    > warnings ? Boolean.TRUE : null, java.time.Duration.ofSeconds(WAIT_S));
            await(renderers().stop(squatter.id()));
            awaitLive(small, 2);
            awaitLive(big, 2);
            fixture.removeType(big);
            fixture.removeType(small);
            awaitLive(big, 0);
            awaitLive(small, 0);
        }
    }

    /** The soak: random edits of a type's .cfg file, kills, stops and spawns; at the end the count matches the file. */
    @Test
    public void aStormOfCfgEditsKillsAndStopsConvergesAndNeverRewritesTheFile() throws Exception {
        Path deploy = Path.of(context.getProperty(CordonOptions.DEPLOY_DIR));
        Path cfg = deploy.resolve("io.cordon.renderer.type-storm.cfg");
        Random random = new Random(11);
        int operations = 40;
        long start = System.nanoTime();
        String last = null;
        for (int i = 0; i < operations; i++) {
            int op = random.nextInt(4);
            List<RendererInfo> running = live("storm");
            if (op == 0 || running.isEmpty()) {
                last = "instances=" + random.nextInt(4) + "\nbundles=" + bundles + "\nrestart=on-crash\nrestart.backoff.ms=100\n";
                TestJars.text(cfg, last);
            } else if (op == 1) {
                renderers().kill(running.get(random.nextInt(running.size())).id());
            } else if (op == 2) {
                renderers().restart(running.get(random.nextInt(running.size())).id());
            } else {
                TestJars.activatorBundle(bundles.resolve("slow.jar"), "io.cordon.itests.slow", "1.0." + i, SlowActivator.class);
            }
            Thread.sleep(150 + random.nextInt(300));
        }
        last = "instances=2\nbundles=" + bundles + "\nrestart=on-crash\nrestart.backoff.ms=100\n";
        TestJars.text(cfg, last);
        awaitLive("storm", 2);
        Thread.sleep(3_000);
        assertEquals("the count settles at the file's", 2, live("storm").size());
        assertEquals("the file is never rewritten", last, Files.readString(cfg));
        System.out.println("supervisor soak: " + operations + " random operations (edit/kill/restart/drop), converged to instances=2 "
                + (System.nanoTime() - start) / 1_000_000 + " ms after the first");
        Files.delete(cfg);
        awaitLive("storm", 0);
    }

    // ---- helpers ----

    private List<RendererInfo> live(String type) {
        return renderers().list().stream().filter(r -> r.type().equals(type) && r.state() != RendererState.GONE).toList();
    }

    /** Waits until exactly {@code count} renderers of the type are READY and none other is alive. */
    private List<RendererInfo> awaitLive(String type, int count) {
        return Poll.until(() -> count + " READY renderer(s) of " + type + ", have " + live(type), () -> {
            List<RendererInfo> alive = live(type);
            return alive.size() == count && alive.stream().allMatch(r -> r.state() == RendererState.READY) ? alive : null;
        }, java.time.Duration.ofSeconds(WAIT_S));
    }

    private RendererEvent next(java.util.function.Predicate<RendererEvent> wanted) throws InterruptedException {
        return RendererFixture.next(events, wanted);
    }

    private Renderers renderers() {
        return fixture.renderers();
    }

    private static <T> T await(org.osgi.util.promise.Promise<T> promise) throws Exception {
        return RendererFixture.await(promise);
    }
}
