package ${package}.app;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

import ${package}.api.Page;

/**
 * The assembled application (target/${rootArtifactId}/) in a real main framework: Cordon's bundle set, this
 * application's main bundles, its renderer type from deploy/, and a real page renderer process with the
 * preload. Its renderer bundle greets through the preload's bridge (main's Greeter behind it) and is
 * refused, through the raw proxy, the call the type's whitelist does not allow.
 */
@RunWith(PaxExam.class)
public class PageRendererIT {

    private static final Path DIST = Path.of(System.getProperty("app.dist", "target/${rootArtifactId}")).toAbsolutePath();
    private static final long RENDERER_TIMEOUT_MS = 60_000;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        Path work = DIST.resolveSibling("paxexam");
        List<Option> options = new ArrayList<>();
        // Cordon's bundle set (bundle/) and the application's main bundles (deploy/*.jar), as bin/cordon has them
        jars(DIST.resolve("bundle")).forEach(jar -> options.add(bundle(jar.toUri().toString())));
        jars(DIST.resolve("deploy")).forEach(jar -> options.add(bundle(jar.toUri().toString())));
        options.add(junitBundles());
        options.add(cleanCaches(true));
        options.add(workingDirectory(work.resolve("framework").toString()));
        options.add(frameworkProperty("cordon.home").value(DIST.toString()));
        options.add(frameworkProperty("cordon.data").value(work.resolve("data").toString()));
        options.add(frameworkProperty("cordon.log.level").value("warn"));
        options.add(frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        // FileInstall reads only the configurations (the renderer type) from deploy/; the jars are installed above
        options.add(frameworkProperty("felix.fileinstall.dir").value(DIST.resolve("deploy").toString()));
        options.add(frameworkProperty("felix.fileinstall.filter").value(".*\\.cfg"));
        options.add(frameworkProperty("felix.fileinstall.poll").value("250"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        options.add(frameworkProperty("felix.fileinstall.subdir.mode").value("skip"));
        // the Gogo shell must not read this JVM's stdin (failsafe's channel)
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(systemProperty("gosh.home").value(DIST.resolve("conf/scripted").toString()));
        options.add(systemProperty("org.jline.terminal.dumb").value("true"));
        return options(options.toArray(Option[]::new));
    }

    @Test
    public void theRendererGreetsThroughItsPreloadsBridgeAndIsRefusedWhatItsWhitelistDoesNotAllow() throws Exception {
        ServiceTracker<Page, Page> pages = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + Page.class.getName() + ")(cordon.renderer.type=page))"), null);
        pages.open();
        try {
            Page page = pages.waitForService(RENDERER_TIMEOUT_MS);
            assertNotNull("no page renderer came up within " + RENDERER_TIMEOUT_MS + " ms; the log above says why", page);
            String shown = page.show("Ada");
            assertTrue(shown, shown.startsWith("Hello, Ada!"));
            assertTrue(shown, shown.contains("setGreeting: refused"));
        } finally {
            pages.close();
        }
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
