package io.cordon.itests;

import static io.cordon.itests.RendererFixture.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;

/**
 * Class data sharing between real renderer JVMs, in the OS sandbox where the machine has one: the
 * first renderer trains the archive as it exits (from inside its sandbox, into its own folder), main
 * keeps it, later renderers start from it (mapped read-only, so they share its pages) and work; an archive
 * broken afterwards does not stop them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClassDataIT {

    private static final List<String> TRAIN = List.of("-XX:ArchiveClassesAtExit=", "-XX:AOTConfiguration=");
    private static final List<String> USE = List.of("-XX:SharedArchiveFile=", "-XX:AOTCache=");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Test
    public void theFirstRendererTrainsTheArchiveLaterOnesStartFromItEvenOnceItIsBroken() throws Exception {
        RendererFixture fixture = new RendererFixture(context, configAdmin);
        try (LogCapture log = new LogCapture(context)) {
            run(fixture, log);
        }
    }

    private void run(RendererFixture fixture, LogCapture log) throws Exception {
        // A heap of its own: a command line no other renderer of this framework has, so this test trains its archive.
        String type = fixture.type("cds", "never", Dist.home().resolve("renderer/sample").toString(), Map.of("heap.mb", 40, "sandbox", "auto"));
        Renderers renderers = fixture.renderers();

        RendererInfo trainer = await(renderers.spawn(type));
        assertTrue(String.join(" ", command(trainer)), option(trainer, TRAIN).isPresent());
        await(renderers.stop(trainer.id()));

        // On Java 25 main assembles the AOT cache in the background after the trainer exits.
        RendererInfo user = Poll.until("a renderer started from the class-data archive", () -> {
            try {
                RendererInfo r = await(renderers.spawn(type));
                if (option(r, USE).isPresent()) {
                    return r;
                }
                await(renderers.stop(r.id()));
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue("READY means working", await(renderers.exec(user.id(), "lb -s")).contains("io.cordon.renderer"));
        Path archive = Path.of(option(user, USE).orElseThrow().split("=", 2)[1]);
        // Mapped where it was laid out: a relocated archive is one private writable copy per renderer.
        List<String> mapped = Files.readAllLines(Path.of("/proc", Long.toString(user.pid()), "maps")).stream()
                .filter(line -> line.endsWith(archive.getFileName().toString())).toList();
        assertTrue("a read-only, shareable mapping of " + archive + ": " + mapped,
                mapped.stream().anyMatch(line -> line.split(" +")[1].equals("r--p")));
        await(renderers.stop(user.id()));

        // Once main has checked it (once per run): broken after that, renderers are still given it.
        Poll.until("main's check of " + archive, () -> log.find(LogLevel.INFO, "renderers start from the class-data archive"));
        Files.writeString(archive, "no longer an archive");
        RendererInfo despite = await(renderers.spawn(type));
        assertEquals("given the broken archive", archive, Path.of(option(despite, USE).orElseThrow().split("=", 2)[1]));
        assertTrue(await(renderers.exec(despite.id(), "lb -s")).contains("io.cordon.renderer"));
        await(renderers.stop(despite.id()));
        fixture.removeType(type);
    }

    private static Optional<String> option(RendererInfo renderer, List<String> prefixes) throws IOException {
        return command(renderer).stream().filter(a -> prefixes.stream().anyMatch(a::startsWith)).findFirst();
    }

    private static List<String> command(RendererInfo renderer) throws IOException {
        byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(renderer.pid()), "cmdline"));
        return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
    }
}
