package io.cordon.itests;

import static io.cordon.itests.RendererFixture.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
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
import io.cordon.itests.failing.FailingActivator;

/**
 * Renderer processes for real: every test spawns child JVMs running their own Felix, through the
 * {@link Renderers} API of the main framework booted from the distribution's bundle set. Each test
 * uses its own renderer type, so they share one framework (per-class reactor) without interfering.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RendererIT {

    private static final long WAIT_S = RendererFixture.WAIT_S;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Test
    public void spawnsEachRendererInItsOwnJvm() throws Exception {
        String type = sampleType("distinct", "never");
        List<RendererInfo> spawned = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            spawned.add(await(renderers().spawn(type)));
        }
        Set<Long> pids = spawned.stream().map(RendererInfo::pid).collect(Collectors.toSet());
        assertEquals("distinct pids " + pids, 3, pids.size());
        for (RendererInfo r : spawned) {
            assertEquals(RendererState.READY, r.state());
            assertNotEquals(ProcessHandle.current().pid(), r.pid());
            ProcessHandle process = ProcessHandle.of(r.pid()).orElseThrow();
            assertTrue("a java process: " + process.info().command(), process.info().command().orElse("").endsWith("java"));
            assertTrue("a descendant of main (a child, or bubblewrap's grandchild with sandbox ns-bwrap)", descendsFromMain(process));
        }
        for (RendererInfo r : spawned) {
            assertEquals(GoneReason.CLEAN_EXIT, await(renderers().stop(r.id())).gone());
            assertTrue("pid " + r.pid() + " gone", ProcessHandle.of(r.pid()).map(p -> !p.isAlive()).orElse(true));
        }
        removeType(type);
    }

    @Test
    public void execRunsAGogoCommandInsideTheRenderersFramework() throws Exception {
        String type = sampleType("exec", "never");
        RendererInfo r = await(renderers().spawn(type));
        String lb = await(renderers().exec(r.id(), "lb"));
        assertTrue(lb, lb.contains("Cordon minimal renderer"));
        assertTrue(lb, lb.contains("Cordon renderer runtime"));
        assertTrue("main's bundles are not in the renderer:\n" + lb, !lb.contains("Cordon main"));
        try {
            await(renderers().exec(r.id(), "nosuchcommand"));
            fail("an unknown command must fail");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nosuchcommand"));
        }
        await(renderers().stop(r.id()));
        removeType(type);
    }

    @Test
    public void sigkillGivesKilledAndTheOnCrashPolicyRestartsIt() throws Exception {
        String type = sampleType("kill", "on-crash");
        BlockingQueue<RendererEvent> events = new LinkedBlockingQueue<>();
        ServiceRegistration<RendererListener> listener = context.registerService(RendererListener.class, events::add, null);
        try {
            RendererInfo first = await(renderers().spawn(type));
            RendererInfo gone = await(renderers().kill(first.id()));
            assertEquals(GoneReason.KILLED, gone.gone());
            assertEquals(Integer.valueOf(137), gone.exitCode());
            RendererEvent ready = RendererFixture.next(events, e -> e.kind() == RendererEvent.Kind.READY && e.renderer().id() == first.id()
                    && e.renderer().restarts() == 1);
            assertNotEquals("a new process", first.pid(), ready.renderer().pid());
            assertTrue(ProcessHandle.of(ready.renderer().pid()).map(ProcessHandle::isAlive).orElse(false));
            await(renderers().stop(first.id()));
        } finally {
            listener.unregister();
        }
        removeType(type);
    }

    @Test
    public void aRendererWhoseActivatorThrowsIsLaunchFailedWithTheCauseLogged() throws Exception {
        Path dir = Dist.mkdirs(Dist.tempDir("failing").resolve("bundles"));
        TestJars.activatorBundle(dir.resolve("failing.jar"), "io.cordon.itests.failing", "1.0.0", FailingActivator.class);
        String type = type("failing", "on-crash", dir.toString());
        try (LogCapture log = new LogCapture(context)) {
            try {
                await(renderers().spawn(type));
                fail("spawn must fail");
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("launch-failed"));
                assertTrue(e.getMessage(), e.getMessage().contains(FailingActivator.MESSAGE));
            }
            Poll.until(() -> "the cause in the log; logged so far:\n" + log.problems(),
                    () -> log.find(LogLevel.ERROR, "failed to start", FailingActivator.MESSAGE));
        }
        assertTrue("launch-failed is not restarted", renderers().list().stream().noneMatch(r -> r.type().equals(type) && r.state() != RendererState.GONE));
        removeType(type);
    }

    @Test
    public void stoppingCordonMainStopsEveryRenderer() throws Exception {
        String type = sampleType("shutdown", "on-crash");
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            pids.add(await(renderers().spawn(type)).pid());
        }
        Bundle main = Bundles.bySymbolicName(context, "io.cordon.main");
        main.stop();
        try {
            for (long pid : pids) {
                assertTrue("renderer pid " + pid + " is gone once main's supervisor stopped",
                        ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            }
        } finally {
            main.start();
        }
    }

    @Test
    public void twoHundredSpawnKillCyclesLeaveThreadsAndFilesFlat() throws Exception {
        String type = sampleType("cycles", "never");
        cycles(type, 10);
        Thread.sleep(1_000);
        int threadsBefore = threads();
        long filesBefore = openFiles();
        cycles(type, 200);
        Poll.untilTrue("threads back to " + threadsBefore + " (now " + threads() + ")", () -> threads() <= threadsBefore + 4);
        Poll.untilTrue("open files back to " + filesBefore + " (now " + openFiles() + ")", () -> openFiles() <= filesBefore + 4);
        System.out.printf("200 spawn/kill cycles: threads %d -> %d, open files %d -> %d%n", threadsBefore, threads(), filesBefore, openFiles());
        removeType(type);
    }

    /** Looked up each time: one test restarts io.cordon.main, which replaces the service. */
    private Renderers renderers() {
        return new RendererFixture(context, configAdmin).renderers();
    }

    private static boolean descendsFromMain(ProcessHandle process) {
        for (var p = process.parent(); p.isPresent(); p = p.get().parent()) {
            if (p.get().pid() == ProcessHandle.current().pid()) {
                return true;
            }
        }
        return false;
    }

    private void cycles(String type, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            RendererInfo r = await(renderers().spawn(type));
            assertEquals(GoneReason.KILLED, await(renderers().kill(r.id())).gone());
        }
    }

    private String sampleType(String name, String restart) throws IOException {
        return type(name, restart, Dist.home().resolve("renderer/sample").toString());
    }

    /** Creates a renderer type with no instances of its own (tests spawn what they need) and waits for it. */
    private String type(String name, String restart, String bundles) throws IOException {
        return new RendererFixture(context, configAdmin).type(name, restart, bundles, Map.of());
    }

    private void removeType(String name) throws IOException {
        new RendererFixture(context, configAdmin).removeType(name);
    }


    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot count open files in /proc/self/fd", e);
        }
    }
}
