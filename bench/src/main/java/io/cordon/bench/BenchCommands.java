package io.cordon.bench;

import java.nio.file.Path;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cordon.api.Renderers;

/**
 * Benchmarks in Gogo scope {@code bench}; each prints {@code name: value} lines and never judges
 * them. Run through bench/run, which deploys this bundle and sets {@value BaselineFiles#PROPERTY}.
 */
@Component(service = BenchCommands.class, property = {"osgi.command.scope=bench", "osgi.command.function=spawn"})
public final class BenchCommands {

    private static final int DEFAULT_COUNT = 20;

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
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        String dir = context.getProperty(BaselineFiles.PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("framework property " + BaselineFiles.PROPERTY + " is not set; use bench/run spawn");
        }
        try (SpawnBench bench = new SpawnBench(renderers, BaselineFiles.in(Path.of(dir)), context.getDataFile("bench").toPath())) {
            return bench.run(count).toString();
        }
    }
}
