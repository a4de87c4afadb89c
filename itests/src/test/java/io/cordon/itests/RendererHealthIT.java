package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
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
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LogLevel;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererHealth;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererListener;
import io.cordon.itests.health.NeededTask;
import io.cordon.itests.health.Waiter;

/**
 * READY means working, in real renderer JVMs: a renderer bundle whose DS component lacks a reference makes
 * its renderer degraded (health column, DEGRADED event, one WARN line naming the component and the
 * reference) until a bundle providing the reference is dropped in; and the sample's API bundle, replaced
 * in a running renderer's preload folder by the same jar plus one file, leaves every component satisfied
 * and the sample rendering.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RendererHealthIT {

    private static final Duration LONG = Duration.ofSeconds(90);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commands;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Test
    public void aRendererWithAnUnsatisfiedComponentIsDegradedUntilItsReferenceArrives() throws Exception {
        RendererFixture fixture = new RendererFixture(context, configAdmin);
        Path bundles = Dist.mkdirs(Dist.tempDir("health").resolve("bundles"));
        TestJars.component(bundles.resolve("waiter.jar"), "io.cordon.itests.health.waiter", """
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="health.Waiter" immediate="true">
                  <implementation class="%s"/>
                  <reference name="needed" interface="java.lang.Runnable" target="(health.needed=true)" cardinality="1..1"/>
                </scr:component>""".formatted(Waiter.class.getName()), List.of(Waiter.class));
        Queue<RendererEvent> events = new ConcurrentLinkedQueue<>();
        ServiceRegistration<RendererListener> listener = context.registerService(RendererListener.class, events::add, null);
        Queue<String> bundleEvents = new ConcurrentLinkedQueue<>();
        ServiceRegistration<EventHandler> handler = context.registerService(EventHandler.class,
                e -> bundleEvents.add(e.getProperty("location") + " " + e.getProperty("result") + " " + e.getProperty("health")),
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, RendererEvent.BUNDLE_TOPIC)));
        String type = fixture.type("degraded", "never", bundles.toString(), Map.of("sandbox", "off"));
        try (LogCapture log = new LogCapture(context)) {
            RendererInfo r = RendererFixture.await(fixture.renderers().spawn(type));
            assertEquals("READY, and degraded from the start: " + r, RendererHealth.DEGRADED, r.health());
            String warning = Poll.until(() -> "the WARN line; logged:\n" + log.problems(),
                    () -> log.find(LogLevel.WARN, "renderer " + r.id() + " (degraded) is DEGRADED")).getMessage();
            assertTrue(warning, warning.contains("component \"health.Waiter\" unsatisfied: \"missing reference needed "
                    + "(java.lang.Runnable (health.needed=true))\""));
            assertTrue(row(r.id()), row(r.id()).matches("\\d+\\s+degraded\\s+\\d+\\s+READY\\s+degraded\\s.*"));
            RendererEvent degraded = Poll.until("a DEGRADED event", () -> event(events, RendererEvent.Kind.DEGRADED, r.id()));
            assertTrue(degraded.detail(), degraded.detail().contains("health.Waiter"));

            TestJars.component(bundles.resolve("provider.jar"), "io.cordon.itests.health.provider", """
                    <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="health.Provider">
                      <implementation class="%s"/>
                      <property name="health.needed" type="Boolean" value="true"/>
                      <service><provide interface="java.lang.Runnable"/></service>
                    </scr:component>""".formatted(NeededTask.class.getName()), List.of(NeededTask.class));
            Poll.until(() -> "a HEALTHY event; events " + events, () -> event(events, RendererEvent.Kind.HEALTHY, r.id()), LONG);
            assertEquals(RendererHealth.OK, fixture.renderers().get(r.id()).orElseThrow().health());
            assertTrue(row(r.id()), row(r.id()).matches("\\d+\\s+degraded\\s+\\d+\\s+READY\\s+ok\\s.*"));
            String provider = bundles.resolve("provider.jar").toUri() + " ok ok";
            Poll.untilTrue("the provider's BUNDLE event, with the health after it: " + bundleEvents, () -> bundleEvents.contains(provider));
            assertEquals("exactly one WARN line:\n" + log.problems(), 1, log.count(LogLevel.WARN, "is DEGRADED"));
            assertTrue(log.problems(), log.find(LogLevel.INFO, "renderer " + r.id() + " (degraded) is healthy again") != null);
        } finally {
            handler.unregister();
            listener.unregister();
            fixture.removeType(type);
        }
    }

    @Test
    public void replacingTheSampleApiInARunningRendererKeepsItRendering() throws Exception {
        RendererFixture fixture = new RendererFixture(context, configAdmin);
        Path work = Dist.tempDir("api-swap");
        Path preload = copy(Dist.home().resolve("renderer/sample-preload"), work.resolve("preload"));
        Path markdown = copy(Dist.home().resolve("deploy/renderers/markdown"), work.resolve("markdown"));
        List<Bundle> sample = new ArrayList<>();
        for (Path jar : jars(Dist.home().resolve("deploy"))) {
            sample.add(context.installBundle(jar.toUri().toString()));
        }
        sample.forEach(RendererHealthIT::start);
        // The sample's sample:render picks renderers of the type named markdown.
        String type = fixture.type("markdown", "never", markdown.toString(), Map.of("preload", preload.toString(), "sandbox", "off",
                "whitelist", "io.cordon.sample.api.DocumentStore#list|read", "provides", "io.cordon.sample.api.DocumentRenderer"));
        try (LogCapture log = new LogCapture(context)) {
            RendererInfo r = RendererFixture.await(fixture.renderers().spawn(type));
            assertEquals(RendererHealth.OK, r.health());
            assertTrue(render(), render().contains("<h1>Welcome to Cordon</h1>"));

            Path api = jars(preload).stream().filter(j -> j.getFileName().toString().startsWith("io.cordon.sample.api")).findFirst().orElseThrow();
            withExtraFile(api);
            Poll.until(() -> "the renderer's answer to the update; logged:\n" + log.problems(),
                    () -> log.find(LogLevel.INFO, "renderer " + r.id() + " (markdown): update", "io.cordon.sample.api", "updated, active"), LONG);
            String after = render();
            assertTrue(after, after.contains("<h1>Welcome to Cordon</h1>") && after.contains("rendered by renderer " + r.id() + " (markdown)"));
            assertEquals(RendererHealth.OK, fixture.renderers().get(r.id()).orElseThrow().health());
            assertEquals("no component went unsatisfied:\n" + log.problems(), 0, log.count(LogLevel.WARN, "is DEGRADED"));
        } finally {
            fixture.removeType(type);
            for (Bundle b : sample) {
                b.uninstall();
            }
        }
    }

    private String render() throws Exception {
        return Gogo.execute(commands, "sample:render welcome");
    }

    private String row(int id) throws Exception {
        return Gogo.execute(commands, "cordon:renderers").lines().filter(l -> l.startsWith(id + " ")).findFirst().orElse("no row " + id);
    }

    private static RendererEvent event(Queue<RendererEvent> events, RendererEvent.Kind kind, int id) {
        return events.stream().filter(e -> e.kind() == kind && e.renderer().id() == id).findFirst().orElse(null);
    }

    /** Rewrites the jar as the same entries plus one file, beside it, then moves it over the original. */
    private static void withExtraFile(Path jar) throws IOException {
        Path staged = Files.createTempFile(jar.getParent().getParent(), "api-", ".tmp");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar));
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(staged), in.getManifest())) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                out.putNextEntry(new JarEntry(entry.getName()));
                in.transferTo(out);
            }
            out.putNextEntry(new JarEntry("extra.txt"));
            out.write("one more file\n".getBytes());
        }
        Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path copy(Path folder, Path target) throws IOException {
        Files.createDirectories(target);
        for (Path jar : jars(folder)) {
            Files.copy(jar, target.resolve(jar.getFileName()));
        }
        return target;
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void start(Bundle bundle) {
        try {
            bundle.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + bundle.getSymbolicName(), e);
        }
    }
}
