package io.cordon.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot the main framework the way the distribution does: exactly the jars of
 * {@code <dist>/bundle/}, plus the test's own needs (JUnit, a fresh cache, a private deploy folder).
 */
public final class CordonOptions {

    /** Framework property naming the deploy folder FileInstall watches; tests read it back from their context. */
    public static final String DEPLOY_DIR = "felix.fileinstall.dir";

    private CordonOptions() {
    }

    public static Option mainFramework() {
        Path work = Dist.tempDir("paxexam");
        Path deploy = Dist.mkdirs(work.resolve("deploy"));
        // Tests spawn cold renderers, so that what they see is theirs alone; SpareRendererIT turns spares on.
        try {
            Files.writeString(deploy.resolve("io.cordon.supervisor.cfg"), "spare.renderers=0\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return composite(
                distBundles(),
                junitBundles(),
                workingDirectory(work.resolve("framework").toString()),
                cleanCaches(true),
                scriptedShell(),
                // Pax Exam's own bundles log at DEBUG through pax-logging unless told otherwise (the pom sets
                // the same as a system property for the few lines logged before pax-logging-api starts)
                frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty("felix.log.level").value("1"),
                frameworkProperty("cordon.log.level").value(System.getProperty("cordon.itest.log.level", "warn")),
                // What Felix Log keeps (its default, WARN, would drop the renderers' relayed INFO lines before
                // LogCapture or the console saw them); the console still prints only cordon.log.level and up.
                frameworkProperty("org.osgi.service.log.admin.loglevel").value(
                        "debug".equalsIgnoreCase(System.getProperty("cordon.itest.log.level")) ? "DEBUG" : "INFO"),
                frameworkProperty(DEPLOY_DIR).value(deploy.toString()),
                frameworkProperty("felix.fileinstall.poll").value("250"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.fileinstall.bundles.new.start").value("true"),
                frameworkProperty("felix.fileinstall.log.level").value("1"),
                frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
                // as bin/cordon does: FileInstall's temporary folders stay in the test's folder, not in /tmp
                frameworkProperty("felix.fileinstall.tmpdir").value(Dist.mkdirs(work.resolve("tmp")).toString()));
    }

    /**
     * The Gogo set-up bin/cordon uses: gogo.jline would otherwise read stdin (failsafe's channel to Maven),
     * and its login profile would probe for a terminal, printing stack traces.
     */
    static Option scriptedShell() {
        return composite(
                frameworkProperty("gosh.args").value("--nointeractive"),
                systemProperty("gosh.home").value(Dist.home().resolve("conf/gogo").toString()),
                systemProperty("org.jline.terminal.provider").value("dumb"));
    }

    /** One option per jar of the distribution's bundle folder, the single source of truth for the bundle set. */
    static Option distBundles() {
        return composite(bundleLocations().stream()
                .map(location -> bundle(location))
                .toArray(Option[]::new));
    }

    /** The locations the distribution's bundles are installed under, as tests look them up. */
    public static List<String> bundleLocations() {
        return bundleJars().stream().map(jar -> jar.toUri().toString()).toList();
    }

    static List<Path> bundleJars() {
        try (Stream<Path> files = Files.list(Dist.home().resolve("bundle"))) {
            List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no bundles in " + Dist.home().resolve("bundle"));
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
