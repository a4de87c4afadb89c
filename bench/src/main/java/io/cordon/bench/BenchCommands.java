package io.cordon.bench;

import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cordon.api.Renderers;
import io.cordon.bench.ipc.IpcBench;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * Benchmarks in Gogo scope {@code bench}; each prints {@code name: value} lines and never judges
 * them. Run through bench/run, which deploys this bundle and sets {@value BaselineFiles#PROPERTY}.
 */
@Component(service = BenchCommands.class, property = {"osgi.command.scope=bench", "osgi.command.function=spawn",
        "osgi.command.function=ipc", "osgi.command.function=hotdeploy", "osgi.command.function=cpu"})
public final class BenchCommands {

    private static final int DEFAULT_COUNT = 20;
    private static final int DEFAULT_DROPS = 10;
    private static final int DEFAULT_CPU_SECONDS = 3;

    private final BundleContext context;
    private final Renderers renderers;
    private final ConfigurationAdmin configAdmin;

    @Activate
    public BenchCommands(BundleContext context, @Reference Renderers renderers, @Reference ConfigurationAdmin configAdmin) {
        this.context = context;
        this.renderers = renderers;
        this.configAdmin = configAdmin;
    }

    @Descriptor("time spawn-to-READY of the 'sample' renderer type 20 times, beside a bare Felix + SCR JVM, and their idle memory")
    public String spawn() throws Exception {
        return spawn(DEFAULT_COUNT);
    }

    @Descriptor("time spawn-to-READY of the 'sample' renderer type, beside a bare Felix + SCR JVM, and their idle memory")
    public String spawn(@Descriptor("timed spawns of each") int count) throws Exception {
        requirePositive("count", count);
        try (SpawnBench bench = new SpawnBench(renderers, BaselineFiles.in(baselineDir()), context.getDataFile("bench").toPath())) {
            return bench.run(count).toString();
        }
    }

    @Descriptor("time calls from main into a renderer through Cordon's RSA beside a raw pipe ping-pong with the same codec")
    public String ipc() throws Exception {
        return ipc(20_000);
    }

    @Descriptor("time calls from main into a renderer through Cordon's RSA beside a raw pipe ping-pong with the same codec")
    public String ipc(@Descriptor("timed calls per latency figure") int calls) throws Exception {
        if (calls < 100) {
            throw new IllegalArgumentException("calls must be at least 100, got " + calls);
        }
        try (IpcBench bench = new IpcBench(context, renderers, configAdmin, baselineDir(), context.getDataFile("bench").toPath())) {
            return bench.run(calls, wireFormat());
        }
    }

    private Path baselineDir() {
        String dir = context.getProperty(BaselineFiles.PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("framework property " + BaselineFiles.PROPERTY + " is not set; use bench/run");
        }
        return Path.of(dir);
    }

    /** The format main's RSA uses (configuration io.cordon.rsa, default smile), so the baseline matches it. */
    private WireFormat wireFormat() throws Exception {
        Configuration[] configs = configAdmin.listConfigurations("(service.pid=io.cordon.rsa)");
        Object value = configs == null ? null : configs[0].getProperties().get("wire.format");
        return WireFormat.valueOf(value == null ? "SMILE" : value.toString().trim().toUpperCase(java.util.Locale.ROOT));
    }

    @Descriptor("time hot deploy of a bundle into 2 running renderers 10 times (drop to active in both), beside the restart policy and a local update")
    public String hotdeploy() throws Exception {
        return hotdeploy(DEFAULT_DROPS);
    }

    @Descriptor("time hot deploy of a bundle into 2 running renderers (drop to active in both), beside the restart policy and a local update")
    public String hotdeploy(@Descriptor("timed drops of a new version") int drops) throws Exception {
        requirePositive("drops", drops);
        try (HotDeployBench bench = new HotDeployBench(context, renderers, configAdmin, context.getDataFile("bench").toPath())) {
            return bench.run(drops).toString();
        }
    }

    @Descriptor("time calls into an honest renderer alone, then while a renderer spins on every core at nice 0 and at nice 10")
    public String cpu() throws Exception {
        return cpu(DEFAULT_CPU_SECONDS);
    }

    @Descriptor("time calls into an honest renderer alone, then while a renderer spins on every core at nice 0 and at nice 10")
    public String cpu(@Descriptor("seconds per phase") int seconds) throws Exception {
        requirePositive("seconds", seconds);
        try (CpuBench bench = new CpuBench(context, renderers, configAdmin, context.getDataFile("bench").toPath())) {
            return bench.run(seconds).toString();
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
