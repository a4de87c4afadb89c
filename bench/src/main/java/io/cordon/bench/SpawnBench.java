package io.cordon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.Renderers;
import io.cordon.bench.ipc.ScaleBench;

/**
 * One run of {@code bench:spawn}: spawn-to-READY of the sample renderer type beside its baseline, a
 * bare Felix + SCR child JVM started with the same java and JVM options, then spawns that take a spare
 * renderer, then the memory of one idle renderer and one idle baseline child. bench/run starts Cordon with
 * {@code spare.renderers=0}, so the first spawns are cold; the spare series sets it to 1 for its time. Every
 * renderer and child it starts is gone when it returns.
 */
final class SpawnBench implements AutoCloseable {

    static final String TYPE = "sample";
    private static final long IDLE_MS = 2_000;
    /**
     * How long a spare has waited when it is taken: a spare started in the background has settled (its JIT done)
     * when an application spawns, unless it spawns back to back.
     */
    private static final long SPARE_IDLE_MS = 1_000;
    private static final long TYPE_WAIT_MS = 30_000;

    private final BundleContext context;
    private static final String SUPERVISOR_PID = "io.cordon.supervisor";
    private static final long SUPERVISOR_WAIT_MS = 30_000;

    /** Replaced when the supervisor restarts (a change of its configuration). */
    private Renderers renderers;
    private final ConfigurationAdmin configAdmin;
    private final StartupLog startups;
    private final BaselineFiles baseline;
    private final Path workDir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-watchdog");
        t.setDaemon(true);
        return t;
    });
    private int launches;

    SpawnBench(BundleContext context, Renderers renderers, ConfigurationAdmin configAdmin, BaselineFiles baseline, Path parentDir)
            throws IOException {
        this.context = context;
        this.renderers = renderers;
        this.configAdmin = configAdmin;
        this.startups = new StartupLog(context);
        this.baseline = baseline;
        Files.createDirectories(parentDir);
        // Its own folder, so that two runs at once cannot share a baseline child's storage.
        this.workDir = Files.createTempDirectory(parentDir, "spawn-");
    }

    /** {@code count} timed spawns of each kind, then {@code scale} renderers at once (none if 0), then {@code count} from a spare. */
    Figures run(int count, int scale) throws Exception {
        double load = Figures.loadAverage();
        awaitType();
        JvmCommand jvm = withRenderer(info -> JvmCommand.ofProcess(info.pid()));
        ClassDataWarmup.await(renderers, TYPE);
        withBareFelix(jvm, BareFelixChild::readyNanos);
        Samples ready = new Samples();
        Samples bare = new Samples();
        Samples readyCpu = new Samples();
        Samples bareCpu = new Samples();
        PhaseSamples phases = new PhaseSamples();
        // Interleaved, so that load from elsewhere on the machine skews both series alike.
        for (int i = 0; i < count; i++) {
            ready.add(timedSpawn(phases, readyCpu));
            bare.add(withBareFelix(jvm, child -> {
                bareCpu.add(ProcCpu.nanos(child.pid()));
                return child.readyNanos();
            }));
        }
        Figures later = new Figures()
                .put("spawn.class_data", withRenderer(info -> JvmCommand.ofProcess(info.pid()).classData()))
                .memory("spawn.renderer", withRenderer(info -> idleMemory(info.pid())))
                .memory("spawn.bare_felix", withBareFelix(jvm, child -> idleMemory(child.pid())));
        if (scale > 0) {
            Map<String, String> many = new ScaleBench(context, renderers, configAdmin, workDir).run(scale);
            later.put("spawn.scale_renderers", scale)
                    .put("spawn.fifty_ready_s".replace("fifty", name(scale)), many.get("ready_s"))
                    .put("spawn.fifty_pss_mb_each".replace("fifty", name(scale)), many.get("pss_mb_each"))
                    .put("spawn.call_p50_us_fifty_running".replace("fifty", name(scale)), many.get("call_p50_us_all_running"))
                    .put("spawn.call_p50_us_one_running", many.get("call_p50_us_one_running"));
        }
        PhaseSamples sparePhases = new PhaseSamples();
        Samples spareRestarts = new Samples();
        Samples spare = spareSeries(count, sparePhases, spareRestarts); // last: it restarts the supervisor, and the command component with it
        Figures figures = new Figures()
                .host(load)
                .put("spawn.type", TYPE)
                .put("spawn.samples", count)
                .durations("spawn.ready", ready)
                .durations("spawn.spare_ready", spare)
                .put("spawn.spare_restart_p50_ms", spareRestarts.percentileMs(50))
                .durations("spawn.bare_felix", bare)
                .put("spawn.ready_cpu_p50_ms", readyCpu.percentileMs(50))
                .put("spawn.bare_felix_cpu_p50_ms", bareCpu.percentileMs(50));
        phases.medians().forEach((phase, ms) -> figures.put("spawn.phase_" + phase + "_p50_ms", ms));
        sparePhases.medians().forEach((phase, ms) -> figures.put("spawn.spare_phase_" + phase + "_p50_ms", ms));
        figures.putAll(later);
        return figures;
    }

    /**
     * Spawns that each take a waiting spare ({@code spare.renderers=1} meanwhile): spawn → READY, timed once a
     * spare waits, as an application finds it after the previous spawn; then as many crash restarts that take one
     * ({@code restarts}). A spawn or restart that did not take the spare fails the run rather than pass for one.
     */
    private Samples spareSeries(int count, PhaseSamples phases, Samples restarts) throws Exception {
        spares(1);
        try {
            Samples spawns = spareSpawns(count, phases);
            spareRestarts(count, restarts);
            return spawns;
        } finally {
            spares(0);
        }
    }

    private Samples spareSpawns(int count, PhaseSamples phases) throws Exception {
        Samples samples = new Samples();
        for (int i = 0; i < count; i++) {
            RendererInfo spare = awaitSpare();
            Thread.sleep(SPARE_IDLE_MS);
            long start = System.nanoTime();
            RendererInfo info = await(renderers.spawn(TYPE));
            samples.add(System.nanoTime() - start);
            phases.add(startups.take(info.id()));
            await(renderers.stop(info.id()));
            if (info.pid() != spare.pid()) {
                throw new IllegalStateException("spawn " + info.id() + " did not take spare " + spare.id());
            }
        }
        return samples;
    }

    /**
     * One renderer SIGKILLed {@code count} times, each once a spare has waited: its restart's start-up from its
     * READY event (main's launch → READY, as the phases measure it; the restart backoff before it not counted).
     */
    private void spareRestarts(int count, Samples restarts) throws Exception {
        RendererInfo renderer = await(renderers.spawn(TYPE));
        startups.take(renderer.id());
        try {
            for (int i = 0; i < count; i++) {
                RendererInfo spare = awaitSpare();
                Thread.sleep(SPARE_IDLE_MS);
                await(renderers.kill(renderer.id()));
                double ms = startups.take(renderer.id()).values().stream().mapToDouble(Double::doubleValue).sum();
                restarts.add((long) (ms * 1e6));
                long pid = renderers.get(renderer.id()).map(RendererInfo::pid).orElse(-1L);
                if (pid != spare.pid()) {
                    throw new IllegalStateException("the restart of renderer " + renderer.id() + " did not take spare " + spare.id());
                }
            }
        } finally {
            await(renderers.stop(renderer.id()));
        }
    }

    private RendererInfo awaitSpare() throws InterruptedException {
        long deadline = System.nanoTime() + TYPE_WAIT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            var spare = renderers.list().stream().filter(r -> r.state() == RendererState.SPARE).findFirst();
            if (spare.isPresent()) {
                return spare.get();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no spare renderer within " + TYPE_WAIT_MS + " ms");
    }

    /**
     * Sets spare.renderers; the supervisor restarts, and its new Renderers service is used from then on. The
     * restart also restarts the bench's command component, whose ConfigurationAdmin then goes: this one is the
     * bench's own, held until the run ends.
     */
    private void spares(int count) throws Exception {
        ServiceReference<ConfigurationAdmin> adminRef = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = context.getService(adminRef);
        try {
            update(admin.getConfiguration(SUPERVISOR_PID, "?"), count);
        } finally {
            context.ungetService(adminRef);
        }
    }

    private void update(Configuration config, int count) throws Exception {
        Dictionary<String, Object> properties = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        properties.put("spare.renderers", count);
        Object before = context.getServiceReference(Renderers.class).getProperty(Constants.SERVICE_ID);
        config.update(properties);
        long deadline = System.nanoTime() + SUPERVISOR_WAIT_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            ServiceReference<Renderers> ref = context.getServiceReference(Renderers.class);
            if (ref != null && !before.equals(ref.getProperty(Constants.SERVICE_ID))) {
                renderers = context.getService(ref);
                awaitType();
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the supervisor did not restart with spare.renderers=" + count);
    }

    /** The figure names say "fifty"; another scale is named by its number. */
    private static String name(int scale) {
        return scale == 50 ? "fifty" : Integer.toString(scale);
    }

    /** FileInstall may still be reading the type's .cfg when the shell runs this command. */
    private void awaitType() throws InterruptedException {
        long deadline = System.nanoTime() + TYPE_WAIT_MS * 1_000_000;
        while (renderers.types().stream().noneMatch(t -> t.name().equals(TYPE))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("renderer type '" + TYPE + "' is not configured (bench/run deploys it)");
            }
            Thread.sleep(100);
        }
    }

    /** One spawn → READY; its phases, plus {@code main}: the rest of the time, main's own work before launch and after READY. */
    private long timedSpawn(PhaseSamples phases, Samples cpu) throws Exception {
        long start = System.nanoTime();
        return withRenderer(info -> {
            long took = System.nanoTime() - start;
            cpu.add(ProcCpu.nanos(info.pid()));
            Map<String, Double> startup = new LinkedHashMap<>(startups.take(info.id()));
            double measured = startup.values().stream().mapToDouble(Double::doubleValue).sum();
            startup.put("main", Math.max(0, took / 1e6 - measured));
            phases.add(startup);
            return took;
        });
    }

    private <T> T withRenderer(Task<RendererInfo, T> task) throws Exception {
        RendererInfo info = await(renderers.spawn(TYPE));
        try {
            return task.apply(info);
        } finally {
            await(renderers.stop(info.id()));
        }
    }

    private <T> T withBareFelix(JvmCommand jvm, Task<BareFelixChild, T> task) throws Exception {
        Path dir = workDir.resolve("bare-felix-" + ++launches);
        try (BareFelixChild child = BareFelixChild.start(jvm, baseline, dir, timer)) {
            return task.apply(child);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Memory after a pause, so that start-up garbage and JIT work have settled as in a long-lived renderer. */
    private static ProcMemory idleMemory(long pid) throws IOException, InterruptedException {
        Thread.sleep(IDLE_MS);
        return ProcMemory.of(pid);
    }

    private static <T> T await(Promise<T> promise) throws Exception {
        Throwable failure = promise.getFailure();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return promise.getValue();
    }

    @Override
    public void close() throws IOException {
        startups.close();
        timer.shutdownNow();
        deleteRecursively(workDir);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @FunctionalInterface
    private interface Task<A, T> {
        T apply(A argument) throws Exception;
    }
}
