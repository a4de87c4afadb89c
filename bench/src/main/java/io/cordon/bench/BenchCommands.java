package io.cordon.bench;

import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cordon.api.Renderers;

/**
 * Benchmarks in Gogo scope {@code bench}; each prints {@code name: value} lines and never judges
 * them. Run through bench/run, which deploys this bundle and sets {@value BaselineFiles#PROPERTY}.
 */
@Component(service = BenchCommands.class, property = {"osgi.command.scope=bench", "osgi.command.function=spawn",
        "osgi.command.function=hotdeploy"})
public final class BenchCommands {

    private static final int DEFAULT_COUNT = 20;
    private static final int DEFAULT_DROPS = 10;

    private final BundleContext context;
    private final Renderers renderers;

    @Activate
    public BenchCommands(BundleContext context, @Reference Renderers renderers) {
        this.context = context;
        this.renderers = renderers;
    }

    @Descriptor("time spawn-to-READY of the 'sample' renderer type 20 times, beside a bare Felix + SCR JVM, and their idle memory")
    public String spawn() throws Exception {
        return spawn(DEFAULT_COUNT);
    }

    @Descriptor("time spawn-to-READY of the 'sample' renderer type, beside a bare Felix + SCR JVM, and their idle memory")
    public String spawn(@Descriptor("timed spawns of each") int count) throws Exception {
        requirePositive("count", count);
        String dir = context.getProperty(BaselineFiles.PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("framework property " + BaselineFiles.PROPERTY + " is not set; use bench/run spawn");
        }
        try (SpawnBench bench = new SpawnBench(renderers, BaselineFiles.in(Path.of(dir)), context.getDataFile("bench").toPath())) {
            return bench.run(count).toString();
        }
    }

    @Descriptor("time hot deploy of a bundle into 2 running renderers 10 times (drop to active in both), beside the restart policy and a local update")
    public String hotdeploy() throws Exception {
        return hotdeploy(DEFAULT_DROPS);
    }

    @Descriptor("time hot deploy of a bundle into 2 running renderers (drop to active in both), beside the restart policy and a local update")
    public String hotdeploy(@Descriptor("timed drops of a new version") int drops) throws Exception {
        requirePositive("drops", drops);
        ServiceReference<ConfigurationAdmin> cm = context.getServiceReference(ConfigurationAdmin.class);
        if (cm == null) {
            throw new IllegalStateException("no ConfigurationAdmin service: bench:hotdeploy creates its renderer type with it");
        }
        try (HotDeployBench bench = new HotDeployBench(context, renderers, context.getService(cm), context.getDataFile("bench").toPath())) {
            return bench.run(drops).toString();
        } finally {
            context.ungetService(cm);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
