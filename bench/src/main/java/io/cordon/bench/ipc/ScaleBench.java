package io.cordon.bench.ipc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;
import io.cordon.bench.ClassDataWarmup;
import io.cordon.bench.ProcMemory;
import io.cordon.bench.ipc.api.BenchTarget;

/**
 * Many renderers of one type at once: {@code count} spawned together from none to all READY, their
 * mean PSS while all run, and a call's p50 into one of them with all running beside the same with only
 * that one left. Every renderer it starts is stopped, and its type deleted, when it returns.
 */
public final class ScaleBench {

    private static final String TYPE = "bench-scale";
    private static final int CALLS = 2_000;

    private final BundleContext context;
    private final Renderers renderers;
    private final ConfigurationAdmin configAdmin;
    private final Path workDir;

    public ScaleBench(BundleContext context, Renderers renderers, ConfigurationAdmin configAdmin, Path workDir) {
        this.context = context;
        this.renderers = renderers;
        this.configAdmin = configAdmin;
        this.workDir = workDir;
    }

    /** Figures in order: {@code ready_s}, {@code pss_mb_each}, {@code call_p50_us_all_running}, {@code call_p50_us_one_running}. */
    public Map<String, String> run(int count) throws Exception {
        Map<String, String> figures = new LinkedHashMap<>();
        Configuration type = IpcBench.targetType(configAdmin, renderers, TYPE, workDir.resolve(TYPE));
        List<RendererInfo> running = new ArrayList<>();
        try {
            ClassDataWarmup.await(renderers, TYPE);
            long start = System.nanoTime();
            List<Promise<RendererInfo>> spawning = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                spawning.add(renderers.spawn(TYPE));
            }
            for (Promise<RendererInfo> p : spawning) {
                running.add(IpcBench.await(p));
            }
            figures.put("ready_s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            figures.put("pss_mb_each", String.format(Locale.ROOT, "%.1f", meanPssKb(running) / 1024.0));
            BenchTarget target = IpcBench.target(context, running.get(0).id());
            figures.put("call_p50_us_all_running", Long.toString(callP50(target)));
            for (RendererInfo r : running.subList(1, running.size())) {
                IpcBench.await(renderers.stop(r.id()));
            }
            running.subList(1, running.size()).clear();
            figures.put("call_p50_us_one_running", Long.toString(callP50(target)));
        } finally {
            // Stopped whatever happened; one already gone (and so not stoppable) is no reason to leave the rest.
            for (RendererInfo r : running) {
                renderers.stop(r.id()).getFailure();
            }
            type.delete();
        }
        return figures;
    }

    private static long callP50(BenchTarget target) throws Exception {
        IpcBench.time(CALLS, () -> target.ping("warm"));
        return IpcBench.micros(IpcBench.time(CALLS, () -> target.ping("ping")), 50);
    }

    private static double meanPssKb(List<RendererInfo> running) throws IOException {
        long total = 0;
        for (RendererInfo r : running) {
            total += ProcMemory.of(r.pid()).pssKb();
        }
        return (double) total / running.size();
    }
}
