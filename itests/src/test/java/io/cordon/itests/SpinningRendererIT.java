package io.cordon.itests;

import static io.cordon.itests.RendererFixture.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
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
import io.cordon.itests.rsa.api.Line;
import io.cordon.itests.rsa.api.RendererSide;
import io.cordon.itests.spinner.SpinnerActivator;

/**
 * Issue 11, finding 6: a renderer spinning on every core. Renderers run niced (every thread of the
 * JVM), so main's own threads (one sleeping 1 ms at a time, the shell) and an honest renderer's calls
 * keep going while it spins, first at main's priority (nice=0), then at the default (nice=10). The test
 * asserts only that they make progress and that the nice values are what the types say; the figures
 * (latencies, calls served, with and without a spinner, niced or not) are printed, never asserted.
 * The types also ask for cgroup limits: where this machine cannot apply them (no cgroup v2 controllers),
 * one INFO line says why and the renderers report none; where it can, each renderer is in its own group.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SpinningRendererIT {

    private static final long WINDOW_MS = 2_500;
    private static final String LIMITS = "cpu=0.5,memory=256M,pids=256";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commands;

    private RendererFixture fixture;
    private ServiceRegistration<Echo> echo;
    private final List<String> types = new ArrayList<>();

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
    public void setUp() {
        fixture = new RendererFixture(context, configAdmin);
        echo = context.registerService(Echo.class, new Echo() {
            @Override
            public String echo(String text) {
                return text;
            }

            @Override
            public Line stretch(Line line, int dx) {
                return line;
            }

            @Override
            public String secret() {
                return "secret";
            }
        }, RsaITSupport.remotable());
    }

    @After
    public void tearDown() throws IOException {
        echo.unregister();
        for (String type : types) {
            fixture.removeType(type);
        }
    }

    @Test
    public void aRendererSpinningOnEveryCoreSlowsNeitherMainNorAnHonestRenderer() throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            String honestType = honestType();
            String spinnerType = spinnerType("spinner", 10);
            String unnicedType = spinnerType("spinner-unniced", 0);

            RendererInfo honest = await(fixture.renderers().spawn(honestType));
            RendererSide side = RsaITSupport.side(context, honest.id());
            assertEquals("x", side.echoViaMain("x"));
            assertNiced(honest, 10);
            Figures alone = measure(side);
            alone.shellMs = shellMs();

            Figures unniced = whileSpinning(unnicedType, 0, side);
            Figures niced = whileSpinning(spinnerType, 10, side);

            for (Figures f : List.of(alone, unniced, niced)) {
                assertTrue(f.name + ": the honest renderer was served", f.calls > 0);
                assertTrue(f.name + ": main's own thread ran", f.ticks > 0);
                assertTrue(f.name + ": the shell answered", f.shellMs >= 0);
                f.print();
            }
            checkShellAndLimits(log, honestType, spinnerType);
            await(fixture.renderers().stop(honest.id()));
        }
    }

    /** Spawns a spinner of {@code type}, checks its nice value and that it spins, measures, stops it. */
    private Figures whileSpinning(String type, int nice, RendererSide side) throws Exception {
        RendererInfo spinner = await(fixture.renderers().spawn(type));
        try {
            assertNiced(spinner, nice);
            long cpuBefore = cpuTicks(spinner.pid());
            Figures f = measure(side);
            f.name = "spinner_nice" + nice;
            f.shellMs = shellMs();
            f.spinnerCpuS = (cpuTicks(spinner.pid()) - cpuBefore) / 100.0;
            assertTrue("the spinner spins: " + f.spinnerCpuS + " s of CPU", f.spinnerCpuS > 0);
            if (!spinner.resources().limited()) {
                return f;
            }
            String group = Files.readString(Path.of("/proc", Long.toString(spinner.pid()), "cgroup"));
            assertTrue("in a group of its own: " + group, group.contains("/cordon-renderer-" + spinner.id() + "-" + spinner.pid()));
            return f;
        } finally {
            RendererInfo gone = await(fixture.renderers().stop(spinner.id()));
            assertEquals(RendererState.GONE, gone.state());
            assertFalse("the spinner process is gone", ProcessHandle.of(spinner.pid()).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    /** The renderer's nice value is main's plus {@code added} (capped at 19), on every thread of its JVM. */
    private static void assertNiced(RendererInfo r, int added) throws IOException {
        assertEquals(added, r.resources().nice());
        int expected = Math.min(19, nice(Path.of("/proc/self/stat")) + added);
        List<Path> threads;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(r.pid()), "task"))) {
            threads = tasks.toList();
        }
        assertTrue("the JVM's threads: " + threads, threads.size() > 5);
        for (Path task : threads) {
            String stat;
            try {
                stat = Files.readString(task.resolve("stat"));
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // the thread ended since the listing
            }
            assertEquals("nice of thread " + task + " of renderer " + r.id(), expected, nice(stat));
        }
        System.out.println("renderer " + r.id() + " (" + r.type() + "), pid " + r.pid() + ", sandbox " + r.sandboxLevel().label() + ": nice "
                + expected + " on all " + threads.size() + " threads, " + autogroup(r, added));
    }

    /**
     * With autogroups, a sandboxed renderer's own session (its scheduling group) gets main's nice plus the
     * type's as well (set a moment after the session is made, so polled); a renderer in main's session shares
     * main's group, where its own nice counts.
     */
    private static String autogroup(RendererInfo r, int added) throws IOException {
        Path enabled = Path.of("/proc/sys/kernel/sched_autogroup_enabled");
        if (!Files.exists(enabled) || !Files.readString(enabled).trim().equals("1")) {
            return "no autogroups on this kernel";
        }
        String[] main = Files.readString(Path.of("/proc/self/autogroup")).trim().split(" nice ");
        if (main.length < 2) {
            return "main is not in an autogroup (its cgroup schedules it)";
        }
        Path own = Path.of("/proc", Long.toString(r.pid()), "autogroup");
        String[] got = Poll.until(() -> "the autogroup of renderer " + r.id(), () -> {
            try {
                String[] g = Files.readString(own).trim().split(" nice ");
                if (g.length < 2) {
                    return g; // the kernel prints nothing for a task its cgroup schedules (limits applied)
                }
                return g[0].equals(main[0]) || Integer.parseInt(g[1]) == Math.min(19, Integer.parseInt(main[1]) + added) ? g : null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (got.length < 2) {
            return "scheduled by its cgroup, not an autogroup";
        }
        return got[0].equals(main[0]) ? "in main's autogroup " + main[0] : "its autogroup " + got[0] + " at nice " + got[1];
    }

    /** cordon:types shows what the types want; cordon:renderers what each got; one INFO line about cgroups. */
    private void checkShellAndLimits(LogCapture log, String honestType, String spinnerType) throws Exception {
        String typesTable = Gogo.execute(commands, "cordon:types");
        Map<String, String> spinnerRow = row(typesTable, spinnerType);
        assertEquals(typesTable, "10", spinnerRow.get("NICE"));
        assertEquals(typesTable, LIMITS, spinnerRow.get("LIMITS"));
        RendererInfo honest = fixture.renderers().list().stream().filter(r -> r.type().equals(honestType)).findFirst().orElseThrow();
        Map<String, String> honestRow = row(Gogo.execute(commands, "cordon:renderers"), Integer.toString(honest.id()));
        assertEquals("10", honestRow.get("NICE"));
        long applied = log.count(LogLevel.INFO, "cgroup v2 limits for renderers: a group each under");
        long skipped = log.count(LogLevel.INFO, "cgroup limits (cpu, memory.mb, pids) are not applied on this machine");
        assertEquals("one line about cgroups for the three spawns that wanted limits: applied " + applied + ", skipped " + skipped,
                1, applied + skipped);
        if (skipped == 1) {
            assertEquals("-", honestRow.get("LIMITS"));
            System.out.println("cgroup limits not applied here: "
                    + log.find(LogLevel.INFO, "cgroup limits (cpu, memory.mb, pids) are not applied").getMessage());
        } else {
            assertNotNull(honestRow.get("LIMITS"));
            assertTrue(honestRow.toString(), !honestRow.get("LIMITS").equals("-"));
        }
    }

    // ---- measuring ----

    /** How long main's shell takes to list the renderers (while the spinner still spins, when there is one). */
    private double shellMs() throws Exception {
        long start = System.nanoTime();
        String table = Gogo.execute(commands, "cordon:renderers");
        assertTrue(table, table.startsWith("ID "));
        return Math.round((System.nanoTime() - start) / 10_000.0) / 100.0;
    }

    /** For {@link #WINDOW_MS}: honest round trips main → renderer → main → renderer, and how late main's own 1 ms sleeps wake. */
    private static Figures measure(RendererSide side) throws InterruptedException {
        Figures f = new Figures("alone");
        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> lateness = Collections.synchronizedList(new ArrayList<>());
        Thread ticker = new Thread(() -> {
            while (running.get()) {
                long start = System.nanoTime();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                lateness.add((System.nanoTime() - start) / 1_000 - 1_000);
            }
        }, "main-ticker");
        ticker.start();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);
        List<Long> calls = new ArrayList<>();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            side.echoViaMain("x");
            calls.add((System.nanoTime() - start) / 1_000);
        }
        running.set(false);
        ticker.join();
        f.calls = calls.size();
        f.callP50Us = percentile(calls, 50);
        f.callP99Us = percentile(calls, 99);
        f.ticks = lateness.size();
        f.mainLateP50Us = percentile(lateness, 50);
        f.mainLateP99Us = percentile(lateness, 99);
        return f;
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }

    /** What one window measured; printed as {@code name: value} lines. */
    private static final class Figures {
        String name;
        int calls;
        long callP50Us;
        long callP99Us;
        int ticks;
        long mainLateP50Us;
        long mainLateP99Us;
        double spinnerCpuS = -1;
        double shellMs = -1;

        Figures(String name) {
            this.name = name;
        }

        void print() {
            String p = "cpu." + name + ".";
            System.out.println(p + "honest_calls: " + calls + " (in " + WINDOW_MS + " ms)");
            System.out.println(p + "honest_call_p50_us: " + callP50Us);
            System.out.println(p + "honest_call_p99_us: " + callP99Us);
            System.out.println(p + "main_sleep_1ms_late_p50_us: " + mainLateP50Us);
            System.out.println(p + "main_sleep_1ms_late_p99_us: " + mainLateP99Us);
            System.out.println(p + "shell_cordon_renderers_ms: " + shellMs);
            if (spinnerCpuS >= 0) {
                System.out.println(p + "spinner_cpu_s: " + spinnerCpuS);
            }
        }
    }

    // ---- /proc and tables ----

    /** Field 19 of a {@code stat} file (fields counted from 1; the command name, field 2, may hold spaces). */
    private static int nice(Path stat) throws IOException {
        return nice(Files.readString(stat));
    }

    private static int nice(String stat) {
        return Integer.parseInt(fields(stat)[19 - 3]);
    }

    /** utime + stime (fields 14 and 15) of the whole process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String[] f = statFields(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    private static String[] statFields(Path stat) throws IOException {
        return fields(Files.readString(stat));
    }

    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** The row whose first column is {@code key}, as header → value. */
    private static Map<String, String> row(String table, String key) {
        List<String> lines = table.lines().toList();
        String[] header = lines.get(0).trim().split("\\s+");
        String[] values = lines.stream().filter(l -> l.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + key + " in\n" + table)).trim().split("\\s+");
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.length && i < values.length; i++) {
            row.put(header[i], values[i]);
        }
        return row;
    }

    // ---- renderer types ----

    private String honestType() throws IOException {
        Path dir = Dist.tempDir("cpu-honest");
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        RsaIT.exposingApiBundle(preload.resolve("api.jar"));
        RsaIT.sideJar(bundles.resolve("side.jar"));
        Map<String, Object> settings = new HashMap<>(RsaIT.rendererSettings(preload, 64));
        settings.putAll(limits());
        settings.put("nice", 10);
        return type("cpu-honest", bundles, settings);
    }

    private String spinnerType(String name, int nice) throws IOException {
        Path bundles = Dist.mkdirs(Dist.tempDir(name).resolve("bundles"));
        TestJars.activatorBundle(bundles.resolve("spinner.jar"), "io.cordon.itests.spinner", "1.0.0", SpinnerActivator.class);
        Map<String, Object> settings = new HashMap<>(limits());
        settings.put("nice", nice);
        return type(name, bundles, settings);
    }

    private static Map<String, Object> limits() {
        return Map.of("cpu", "0.5", "memory.mb", 256L, "pids", 256);
    }

    private String type(String name, Path bundles, Map<String, Object> settings) throws IOException {
        types.add(fixture.type(name, "never", bundles.toString(), settings));
        return name;
    }
}
