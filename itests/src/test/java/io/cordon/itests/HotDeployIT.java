package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import io.cordon.itests.greeter.GreeterActivator;

/**
 * FileInstall on the distribution's deploy folder, as a user sees it: drop, replace and delete files
 * while the framework runs. Each test gets a fresh framework (Pax Exam's default per-method reactor).
 * Pax Exam reads the configuration once per class, so all tests share one deploy folder: each test
 * empties it when done, so the next framework starts without the previous test's files.
 */
@RunWith(PaxExam.class)
public class HotDeployIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Path deploy;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Before
    public void deployFolder() {
        deploy = Path.of(context.getProperty(CordonOptions.DEPLOY_DIR));
    }

    @After
    public void emptyDeployFolder() throws IOException {
        try (Stream<Path> files = Files.list(deploy)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    public void droppedBundleIsInstalledAndStarted() throws Exception {
        TestJars.greeter(deploy.resolve("greeter.jar"), "1.0.0", "hello 1");
        assertEquals(Bundle.ACTIVE, awaitGreeterBundle().getState());
        assertEquals("hello 1", awaitGreeting("hello 1"));
    }

    @Test
    public void replacedJarUpdatesTheBundle() throws Exception {
        TestJars.greeter(deploy.resolve("greeter.jar"), "1.0.0", "hello 1");
        long id = awaitGreeterBundle().getBundleId();
        awaitGreeting("hello 1");

        TestJars.greeter(deploy.resolve("greeter.jar"), "2.0.0", "hello 2");
        assertEquals("hello 2", awaitGreeting("hello 2"));
        Bundle updated = context.getBundle(id);
        assertNotNull("updated in place: bundle " + id + " still installed", updated);
        assertEquals("2.0.0", updated.getVersion().toString());
        assertEquals(Bundle.ACTIVE, updated.getState());
    }

    @Test
    public void deletedJarUninstallsTheBundle() throws Exception {
        Path jar = deploy.resolve("greeter.jar");
        TestJars.greeter(jar, "1.0.0", "hello 1");
        long id = awaitGreeterBundle().getBundleId();

        Files.delete(jar);
        Poll.untilTrue("bundle " + id + " uninstalled", () -> context.getBundle(id) == null);
        assertNull("greeter service gone", greeterService());
    }

    @Test
    public void garbageJarIsReportedAndHarmless() throws Exception {
        assertBrokenJarReported("broken.jar", TestJars::garbage, "not a zip/jar file");
    }

    @Test
    public void zipWithoutManifestIsReportedAndHarmless() throws Exception {
        assertBrokenJarReported("nomanifest.jar", TestJars::zipWithoutManifest, "no META-INF/MANIFEST.MF");
    }

    @Test
    public void cfgFileBecomesAConfiguration() throws Exception {
        TestJars.text(deploy.resolve("foo.pid.cfg"), "a=b\n");
        Configuration config = Poll.until("configuration foo.pid", () -> configurations("(service.pid=foo.pid)"));
        assertEquals("b", config.getProperties().get("a"));
    }

    @Test
    public void factoryCfgFileBecomesAFactoryConfiguration() throws Exception {
        TestJars.text(deploy.resolve("my.factory-one.cfg"), "a=b\n");
        Configuration config = Poll.until("a configuration of factory my.factory",
                () -> configurations("(service.factoryPid=my.factory)"));
        assertEquals("my.factory", config.getFactoryPid());
        assertEquals("b", config.getProperties().get("a"));
    }

    private void assertBrokenJarReported(String name, JarWriter writer, String reason) throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            writer.write(deploy.resolve(name));
            Poll.until(() -> "an ERROR naming " + name + " and '" + reason + "'; warnings and errors logged:\n" + log.problems(),
                    () -> log.find(LogLevel.ERROR, deploy.resolve(name).toString(), "is not a valid bundle", reason));
        }
        assertEquals("framework still running", Bundle.ACTIVE, context.getBundle(0).getState());
        for (String location : CordonOptions.bundleLocations()) {
            assertEquals(location, Bundle.ACTIVE, context.getBundle(location).getState());
        }
        // FileInstall is still at work: a good bundle dropped after the broken one still deploys
        TestJars.greeter(deploy.resolve("greeter.jar"), "1.0.0", "still fine");
        assertEquals("still fine", awaitGreeting("still fine"));
    }

    private Bundle awaitGreeterBundle() {
        return Poll.until(TestJars.GREETER + " ACTIVE", () -> {
            Bundle bundle = Bundles.bySymbolicName(context, TestJars.GREETER);
            return bundle != null && bundle.getState() == Bundle.ACTIVE ? bundle : null;
        });
    }

    private String awaitGreeting(String expected) {
        return Poll.until("greeting '" + expected + "'", () -> {
            String greeting = greeting();
            return expected.equals(greeting) ? greeting : null;
        });
    }

    private String greeting() {
        ServiceReference<?> reference = greeterService();
        if (reference == null) {
            return null;
        }
        Supplier<?> greeter = (Supplier<?>) context.getService(reference);
        try {
            return greeter == null ? null : String.valueOf(greeter.get());
        } finally {
            context.ungetService(reference);
        }
    }

    private ServiceReference<?> greeterService() {
        try {
            ServiceReference<?>[] references = context.getServiceReferences(
                    Supplier.class.getName(), "(" + GreeterActivator.MARKER + "=true)");
            return references == null ? null : references[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Configuration configurations(String filter) {
        try {
            Configuration[] found = configAdmin.listConfigurations(filter);
            return found == null ? null : found[0];
        } catch (Exception e) {
            throw new AssertionError("listConfigurations " + filter, e);
        }
    }

    private interface JarWriter {
        void write(Path target) throws Exception;
    }
}
