package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LogLevel;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererState;
import io.cordon.api.Renderers;
import io.cordon.itests.hotdeploy.api.Greeting;
import io.cordon.itests.hotdeploy.renderer.GreetingActivator;

/**
 * Hot deploy into running renderers, as a user does it: jars dropped into, replaced in and deleted
 * from a renderer type's folder ({@code <deploy>/renderers/<type>/}, the default when the type names no
 * {@code bundles}), and a type's {@code .cfg} dropped into, edited in and deleted from the deploy
 * folder. The dropped bundle registers a remotable {@link Greeting} that main calls through RSA, so
 * each step is checked through an IPC call to every renderer. Latencies are printed, never asserted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RendererHotDeployIT {

    static final String API = "io.cordon.itests.hotdeploy.api";
    private static final String GREETING_BSN = "io.cordon.itests.hotdeploy.greeting";
    private static final Duration LONG = Duration.ofSeconds(90);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Path deploy;
    private final List<String> types = new ArrayList<>();
    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private ServiceRegistration<EventHandler> ackHandler;

    /** An answered bundle operation in a renderer, as main posts it to EventAdmin, and when it arrived. */
    private record Ack(long nanos, int id, String operation, String location, String result) {
    }

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Export-Package", API + ";version=\"1.0.0\"");
        return probe;
    }

    @Before
    public void setUp() {
        deploy = Path.of(context.getProperty(CordonOptions.DEPLOY_DIR));
        Dictionary<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, RendererEvent.BUNDLE_TOPIC));
        ackHandler = context.registerService(EventHandler.class, e -> acks.add(new Ack(System.nanoTime(), (Integer) e.getProperty("id"),
                (String) e.getProperty("operation"), (String) e.getProperty("location"), (String) e.getProperty("result"))), topics);
    }

    @After
    public void cleanUp() throws IOException {
        ackHandler.unregister();
        for (String type : types) {
            configAdmin.getFactoryConfiguration("io.cordon.renderer.type", type, "?").delete();
        }
    }

    @Test
    public void aJarDroppedReplacedAndDeletedReachesEveryRunningRendererOfTheType() throws Exception {
        String type = "hot";
        createType(type, "update");
        List<RendererInfo> running = awaitRunning(type, 2);
        List<Integer> ids = running.stream().map(RendererInfo::id).toList();
        Path folder = bundleFolder(type);
        Path jar = folder.resolve("greeting.jar");

        timed(type, "dropped", ids, "install", jar, () -> greetingJar(jar, "1.0.0", "hello 1"), "hello 1");
        timed(type, "replaced", ids, "update", jar, () -> greetingJar(jar, "2.0.0", "hello 2"), "hello 2");
        assertEquals("updated in place: the same renderer processes", pids(running), pids(running(type)));
        assertNull("FileInstall left the renderer folder alone: the bundle is not in main",
                Bundles.bySymbolicName(context, GREETING_BSN));

        RendererInfo late = RendererFixture.await(renderers().spawn(type));
        awaitGreetings(List.of(late.id()), "hello 2");
        RendererFixture.await(renderers().stop(late.id()));

        assertRefused(folder.resolve("broken.jar"), "broken.jar", "not a zip/jar file");
        assertRefused(jar, "greeting.jar", "not a zip/jar file");
        awaitGreetings(ids, "hello 2");
        assertEquals("a refused jar disturbs no renderer", pids(running), pids(running(type)));
        assertTrue(running(type).stream().allMatch(r -> r.state() == RendererState.READY));

        timed(type, "deleted", ids, "uninstall", jar, () -> Files.delete(jar), null);
        for (int id : ids) {
            String lb = RendererFixture.await(renderers().exec(id, "lb"));
            assertFalse("uninstalled from renderer " + id + ":\n" + lb, lb.contains(GREETING_BSN));
        }
        Files.delete(folder.resolve("broken.jar"));
        assertEquals(pids(running), pids(running(type)));
    }

    @Test
    public void withBundleUpdateRestartTheRenderersRestartOneAtATimeInstead() throws Exception {
        String type = "hotrestart";
        createType(type, "restart");
        List<RendererInfo> before = awaitRunning(type, 2);
        List<Integer> ids = before.stream().map(RendererInfo::id).toList();
        Path jar = bundleFolder(type).resolve("greeting.jar");

        long start = System.nanoTime();
        greetingJar(jar, "1.0.0", "hello 1");
        awaitGreetings(ids, "hello 1");
        System.out.printf("RendererHotDeployIT: %s: greeting.jar dropped -> both renderers restarted and answering in %d ms%n",
                type, since(start));
        List<RendererInfo> after = awaitRunning(type, 2);
        assertEquals("the same renderer ids", ids, after.stream().map(RendererInfo::id).toList());
        for (int i = 0; i < 2; i++) {
            assertNotEquals("renderer " + ids.get(i) + " is a new process", before.get(i).pid(), after.get(i).pid());
            assertEquals(1, after.get(i).restarts());
        }
    }

    @Test
    public void aTypeCfgDroppedEditedAndDeletedSpawnsChangesAndStopsItsRenderers() throws Exception {
        String type = "hotcfg";
        Path cfg = deploy.resolve("io.cordon.renderer.type-" + type + ".cfg");
        long start = System.nanoTime();
        TestJars.text(cfg, "instances=2\nrestart=never\n");
        List<RendererInfo> two = awaitRunning(type, 2);
        long dropped = since(start);

        start = System.nanoTime();
        TestJars.text(cfg, "instances=1\nrestart=never\n");
        List<RendererInfo> one = awaitRunning(type, 1);
        assertTrue("one of the two keeps running: " + one, pids(two).contains(one.get(0).pid()));
        long stopped = pids(two).stream().filter(pid -> pid != one.get(0).pid()).findFirst().orElseThrow();
        Poll.untilTrue("pid " + stopped + " exited", () -> ProcessHandle.of(stopped).map(p -> !p.isAlive()).orElse(true));
        long shrunk = since(start);

        String marker = "-Dcordon.itest.marker=" + System.nanoTime();
        start = System.nanoTime();
        TestJars.text(cfg, "instances=1\nrestart=never\njvm.options=" + marker + "\n");
        RendererInfo restarted = Poll.until(() -> "renderer " + one.get(0).id() + " restarted with " + marker + "; now "
                + running(type), () -> running(type).stream()
                .filter(r -> r.id() == one.get(0).id() && r.pid() != one.get(0).pid() && r.state() == RendererState.READY)
                .findFirst().orElse(null), LONG);
        long edited = since(start);
        List<String> arguments = List.of(ProcessHandle.of(restarted.pid()).orElseThrow().info().arguments().orElse(new String[0]));
        assertTrue("the new JVM runs with " + marker + ": " + arguments, arguments.contains(marker));
        assertEquals(1, running(type).size());

        start = System.nanoTime();
        Files.delete(cfg);
        Poll.until(() -> "type " + type + " and its renderers gone; now " + running(type),
                () -> running(type).isEmpty() && renderers().types().stream().noneMatch(t -> t.name().equals(type)) ? true : null, LONG);
        Poll.untilTrue("pid " + restarted.pid() + " exited", () -> ProcessHandle.of(restarted.pid()).map(p -> !p.isAlive()).orElse(true));
        System.out.printf("RendererHotDeployIT: %s: .cfg dropped -> 2 renderers READY in %d ms; instances=1 -> one stopped in %d ms; "
                + "jvm.options edited -> restarted with it in %d ms; .cfg deleted -> renderers gone in %d ms%n", type, dropped, shrunk,
                edited, since(start));
    }

    /** A folder missing when the type is created is not watched yet: it is scanned at the poll interval until it exists. */
    @Test
    public void aBundleFolderCreatedAfterTheTypeIsTakenOnceItExists() throws Exception {
        String type = "hotlate";
        Path folder = Dist.tempDir("hotdeploy-late").resolve("bundles");
        createType(type, "update", folder.toString());
        List<Integer> ids = awaitRunning(type, 2).stream().map(RendererInfo::id).toList();
        Path jar = Dist.mkdirs(folder).resolve("greeting.jar");
        greetingJar(jar, "1.0.0", "hello late");
        awaitGreetings(ids, "hello late");
        Files.delete(jar);
        Files.delete(folder);
    }

    // ---- helpers ----

    /** A type with two renderers, the Greeting API as preload, and its renderer bundles in the default folder. */
    private void createType(String name, String bundleUpdate) throws IOException {
        createType(name, bundleUpdate, null);
    }

    /** The same with its renderer bundles in the {@code bundles} location (null: the default folder). */
    private void createType(String name, String bundleUpdate, String bundles) throws IOException {
        Path preload = Dist.mkdirs(Dist.tempDir("hotdeploy-" + name).resolve("preload"));
        TestJars.bundle(preload.resolve("api.jar"), API, "1.0.0", List.of(Greeting.class), "Export-Package", API + ";version=\"1.0.0\"");
        Configuration config = configAdmin.getFactoryConfiguration("io.cordon.renderer.type", name, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("instances", 2);
        properties.put("preload", preload.toString());
        properties.put("provides", Greeting.class.getName());
        properties.put("bundle.update", bundleUpdate);
        properties.put("restart", "never");
        if (bundles != null) {
            properties.put("bundles", bundles);
        }
        config.update(properties);
        types.add(name);
    }

    /** The type's default bundle folder, which Cordon creates with the type. */
    private Path bundleFolder(String type) {
        Path folder = deploy.resolve("renderers").resolve(type);
        Poll.untilTrue("the type's default bundle folder " + folder, () -> Files.isDirectory(folder));
        return folder;
    }

    private static void greetingJar(Path target, String version, String greeting) throws IOException {
        TestJars.activatorBundle(target, GREETING_BSN, version, GreetingActivator.class, GreetingActivator.HEADER, greeting,
                "Import-Package", "org.osgi.framework," + API);
    }

    private interface FileChange {
        void apply() throws IOException;
    }

    /**
     * Applies a change to the type's folder, waits until every renderer answers {@code greeting} through
     * RSA (null: no longer has the service), and prints how long that took and when the renderers'
     * acknowledgements of the operation arrived.
     */
    private void timed(String type, String what, List<Integer> ids, String operation, Path jar, FileChange change, String greeting)
            throws IOException {
        acks.clear();
        long start = System.nanoTime();
        change.apply();
        if (greeting == null) {
            Poll.until(() -> "no Greeting left in renderers " + ids + "; still " + greetings(ids), () -> greetings(ids).isEmpty() ? true : null, LONG);
        } else {
            awaitGreetings(ids, greeting);
        }
        long visible = System.nanoTime() - start;
        String location = jar.toUri().toString();
        // The answer may trail what RSA shows: a renderer answers once its package refresh is over.
        Map<Integer, Long> acked = Poll.until(() -> "every renderer acknowledging the " + operation + " of " + location + "; acks " + acks,
                () -> {
                    Map<Integer, Long> byId = new TreeMap<>();
                    for (Ack ack : acks) {
                        if (ack.operation().equals(operation) && ack.location().equals(location) && ack.result().equals("ok")) {
                            byId.putIfAbsent(ack.id(), TimeUnit.NANOSECONDS.toMillis(ack.nanos() - start));
                        }
                    }
                    return byId.keySet().containsAll(ids) ? byId : null;
                });
        System.out.printf("RendererHotDeployIT: %s: %s %s -> acknowledged by renderers %s after %s ms; every renderer answering "
                        + "through RSA after %d ms%n", type, jar.getFileName(), what, ids, acked.values(),
                TimeUnit.NANOSECONDS.toMillis(visible));
    }

    private void assertRefused(Path file, String name, String reason) throws IOException {
        try (LogCapture log = new LogCapture(context)) {
            TestJars.garbage(file);
            Poll.until(() -> "an ERROR naming " + name + " and '" + reason + "'; warnings and errors logged:\n" + log.problems(),
                    () -> log.find(LogLevel.ERROR, name, "is not a valid bundle", reason, "refused"));
        }
    }

    private void awaitGreetings(List<Integer> ids, String greeting) {
        Map<Integer, String> expected = new TreeMap<>();
        ids.forEach(id -> expected.put(id, greeting + " from renderer " + id));
        Poll.until(() -> "greetings " + expected + "; now " + greetings(ids), () -> expected.equals(greetings(ids)) ? true : null, LONG);
    }

    /** What each renderer's Greeting answers through RSA, by renderer id (those with none are missing). */
    private Map<Integer, String> greetings(List<Integer> ids) {
        Map<Integer, String> answers = new TreeMap<>();
        try {
            for (ServiceReference<Greeting> ref : context.getServiceReferences(Greeting.class, null)) {
                Object id = ref.getProperty(Renderers.RENDERER_ID);
                Greeting greeting = ids.contains(id) ? context.getService(ref) : null;
                if (greeting != null) {
                    try {
                        answers.put((Integer) id, greeting.greet());
                    } catch (RuntimeException e) {
                        // withdrawn while we called: the next poll sees the new state
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return answers;
    }

    /** Waits until exactly {@code count} renderers of the type are running, all READY; sorted by id. */
    private List<RendererInfo> awaitRunning(String type, int count) {
        return Poll.until(() -> count + " READY renderers of type " + type + "; now " + running(type), () -> {
            List<RendererInfo> now = running(type);
            return now.size() == count && now.stream().allMatch(r -> r.state() == RendererState.READY) ? now : null;
        }, LONG);
    }

    private List<RendererInfo> running(String type) {
        return renderers().list().stream().filter(r -> r.type().equals(type) && r.state() != RendererState.GONE).toList();
    }

    private static long since(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static List<Long> pids(List<RendererInfo> renderers) {
        return renderers.stream().map(RendererInfo::pid).sorted().toList();
    }

    private Renderers renderers() {
        return new RendererFixture(context, configAdmin).renderers();
    }
}
