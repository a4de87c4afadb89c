package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

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
    private RendererProcesses processes;
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
        processes = new RendererProcesses(context);
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
    public void aStopDuringTheCrashBackoffIsAStop() throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            String type = fixture.type("lazarus", "on-crash", bundles.toString(), Map.of("instances", 1, "restart.backoff.ms", 20_000L));
            RendererInfo first = awaitLive(type, 1).get(0);
            await(renderers().kill(first.id()));
            assertNotNull(Poll.until("the restart waiting out its backoff", () -> log.find(LogLevel.INFO, "renderer " + first.id(), "restarts in")));
            assertEquals(first.id(), await(renderers().stop(first.id())).id()); // was: "no renderer N is running"
            assertNotNull(log.find(LogLevel.INFO, "renderer " + first.id(), "does not restart"));
            assertEquals(0, live(type).size());
            fixture.removeType(type);
        }
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

    /**
     * The soak: random edits of a type's .cfg file, kills, restarts, stops, spawns by hand and bundle drops. The last
     * operation sets instances=2 and stops the hand-spawned renderers still alive; then the type has exactly its 2,
     * every live renderer is one of them, no renderer process is left of any other, and the file is as the test
     * last wrote it (content, time and inode). Prints the figure for the CI log.
     */
    @Test
    public void aStormOfCfgEditsKillsStopsAndSpawnsConvergesAndNeverRewritesTheFile() throws Exception {
        Path cfg = Path.of(context.getProperty(CordonOptions.DEPLOY_DIR)).resolve("io.cordon.renderer.type-storm.cfg");
        Random random = new Random(11);
        int operations = 180;
        HandSpawns spawns = new HandSpawns();
        long start = System.nanoTime();
        CfgFile file = CfgFile.write(cfg, random.nextInt(4), bundles);
        for (int i = 0; i < operations; i++) {
            int op = random.nextInt(6);
            List<RendererInfo> running = live("storm");
            int id = running.isEmpty() ? -1 : running.get(random.nextInt(running.size())).id();
            if (op == 0 || (id < 0 && op < 4)) {
                file.assertUntouched();
                file = CfgFile.write(cfg, random.nextInt(4), bundles);
            } else if (op == 1) {
                renderers().kill(id);
            } else if (op == 2) {
                renderers().restart(id);
            } else if (op == 3) {
                renderers().stop(id);
            } else if (op == 4) {
                spawns.spawn(renderers(), "storm");
            } else {
                TestJars.activatorBundle(bundles.resolve("slow.jar"), "io.cordon.itests.slow", "1.0." + i, SlowActivator.class);
            }
            Thread.sleep(50 + random.nextInt(150));
        }
        file.assertUntouched();
        // a real edit, whatever the storm wrote last: renderers stopped by hand are replaced only then
        file = CfgFile.write(cfg, 2, bundles, 200);
        long last = System.nanoTime();
        List<RendererInfo> converged = Poll.until(() -> "2 READY renderers of storm, none spawned by hand " + spawns
                + ", have " + live("storm"), () -> stopHandSpawnedThenConverged(spawns), java.time.Duration.ofSeconds(WAIT_S));
        long convergedMs = (System.nanoTime() - last) / 1_000_000;
        Thread.sleep(3_000); // nothing more comes, nothing more goes
        assertEquals("the renderers stay", ids(converged), ids(live("storm")));
        file.assertUntouched();
        Set<Integer> ids = ids(renderers().list().stream().filter(r -> r.state() != RendererState.GONE).toList());
        assertEquals("every live renderer is one the type manages", ids(converged), ids);
        // the live ones' processes are found (so the search works), and no other's
        Poll.until(() -> "the processes of renderers " + ids + " and no other, have " + processes.byId(),
                () -> processes.byId().keySet().equals(ids) ? Boolean.TRUE : null);
        System.out.println("supervisor soak: operations: " + operations + " (edit/kill/restart/stop/spawn/drop), storm ms: "
                + (last - start) / 1_000_000 + ", converged ms after the last: " + convergedMs + ", renderers: "
                + converged.size() + " of expected 2, hand-spawned: " + spawns + ", orphan processes: 0");
        Files.delete(cfg);
        awaitLive("storm", 0);
    }

    /** Stops what was spawned by hand and still runs; the live renderers of storm once they are 2, READY, none by hand. */
    private List<RendererInfo> stopHandSpawnedThenConverged(HandSpawns spawns) {
        List<RendererInfo> alive = live("storm");
        alive.stream().filter(r -> spawns.ids().contains(r.id())).forEach(r -> renderers().stop(r.id()));
        boolean converged = spawns.settled() && alive.size() == 2 && alive.stream().noneMatch(r -> spawns.ids().contains(r.id()))
                && alive.stream().allMatch(r -> r.state() == RendererState.READY);
        return converged ? alive : null;
    }

    /**
     * The ids of renderers spawned by hand: known from the promise when it resolves, READY or failed (one that failed
     * to become READY may come back: it restarts on crash). Settled when no spawn is unanswered.
     */
    private static final class HandSpawns {
        private static final java.util.regex.Pattern FAILED_ID = java.util.regex.Pattern.compile("^renderer (\\d+) \\(");
        private final Set<Integer> ids = ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();

        void spawn(Renderers renderers, String type) {
            unanswered.incrementAndGet();
            org.osgi.util.promise.Promise<RendererInfo> spawn = renderers.spawn(type);
            spawn.onResolve(() -> {
                id(spawn).ifPresent(ids::add);
                unanswered.decrementAndGet();
            });
        }

        private static java.util.Optional<Integer> id(org.osgi.util.promise.Promise<RendererInfo> spawn) {
            try {
                Throwable failure = spawn.getFailure();
                if (failure == null) {
                    return java.util.Optional.of(spawn.getValue().id());
                }
                java.util.regex.Matcher m = FAILED_ID.matcher(String.valueOf(failure.getMessage()));
                return m.find() ? java.util.Optional.of(Integer.valueOf(m.group(1))) : java.util.Optional.empty();
            } catch (Exception e) {
                throw new IllegalStateException(e); // resolved: neither blocks nor fails
            }
        }

        Set<Integer> ids() {
            return ids;
        }

        boolean settled() {
            return unanswered.get() == 0;
        }

        @Override
        public String toString() {
            return ids.size() + " " + ids;
        }
    }

    /** A .cfg file as the test last wrote it: content, modification time and inode, so a rewrite of any kind shows. */
    private record CfgFile(Path path, String content, FileTime modified, Object key) {

        /** Replaces the file atomically (a new inode, as an editor's save), with restart on crash and a short backoff. */
        static CfgFile write(Path path, int instances, Path bundles) throws IOException {
            return write(path, instances, bundles, 100);
        }

        static CfgFile write(Path path, int instances, Path bundles, int backoffMs) throws IOException {
            String content = "instances=" + instances + "\nbundles=" + bundles + "\nrestart=on-crash\nrestart.backoff.ms=" + backoffMs + "\n";
            TestJars.text(path, content);
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new CfgFile(path, content, attributes.lastModifiedTime(), attributes.fileKey());
        }

        void assertUntouched() throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            assertEquals("the file is never rewritten", content, Files.readString(path));
            assertEquals("the file is never rewritten (its time)", modified, attributes.lastModifiedTime());
            assertEquals("the file is never replaced (its inode)", key, attributes.fileKey());
        }
    }

    // ---- helpers ----

    private static Set<Integer> ids(List<RendererInfo> renderers) {
        return renderers.stream().map(RendererInfo::id).collect(java.util.stream.Collectors.toSet());
    }

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
