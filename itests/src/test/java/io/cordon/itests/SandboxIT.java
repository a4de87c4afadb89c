package io.cordon.itests;

import static io.cordon.itests.RendererFixture.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Before;
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
import io.cordon.itests.probe.NetFsProbe;

/**
 * The OS sandbox for real: renderers run a probe bundle ({@link NetFsProbe}) through {@code cordon:exec}
 * that connects to a server this test opened in main's network namespace and writes files inside and
 * outside the renderer's storage. {@code strict} must stop both, {@code off} must allow both (so the
 * probe is known to work). Tests that need namespaces are skipped, with the reason printed, on machines
 * where neither {@code unshare -Urn} nor bubblewrap works; checked here independently of Cordon's own probe,
 * so a broken probe in Cordon fails these tests instead of skipping them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SandboxIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commands;

    private RendererFixture fixture;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Before
    public void fixture() {
        fixture = new RendererFixture(context, configAdmin);
    }

    @Test
    public void aStrictRendererCannotConnectAnywhereNorWriteOutsideItsStorage() throws Exception {
        assumeNamespaces();
        String type = probeType("strict-probe", "strict");
        RendererInfo r = await(fixture.renderers().spawn(type));
        try (Server server = new Server()) {
            assertTrue("a namespace level: " + r.sandboxLevel().label(), r.sandboxLevel().label().startsWith("ns-"));
            assertTrue("the pid is the JVM's: " + ProcessHandle.of(r.pid()).map(p -> p.info().command()),
                    ProcessHandle.of(r.pid()).flatMap(p -> p.info().command()).orElse("").endsWith("java"));

            String connect = failure(r, "probe:connect 127.0.0.1 " + server.port());
            assertTrue("connect failed for the network, not for the probe: " + connect,
                    connect.contains("unreachable") || connect.contains("refused"));

            Path outside = Dist.tempDir("sandbox-outside").resolve("from-renderer.txt");
            String write = failure(r, "probe:write " + outside);
            assertTrue(write, write.contains("Read-only file system"));
            assertFalse("nothing written outside the renderer's storage", Files.exists(outside));

            Path inside = Path.of(exec(r, "probe:tmpdir").strip(), "from-renderer.txt");
            exec(r, "probe:write " + inside);
            assertEquals("written by a renderer\n", Files.readString(inside));

            assertEquals("the server in main's namespace never saw a connection", 0, server.accepted());
            System.out.printf("SandboxIT: strict renderer %d got %s; connect: %s; write outside: %s%n", r.id(), r.sandboxLevel().label(),
                    connect.strip(), write.strip());
        } finally {
            stopAndCheckGone(r);
            fixture.removeType(type);
        }
    }

    @Test
    public void anOffRendererReachesTheNetworkAndWritesAnywhere() throws Exception {
        String type = probeType("off-probe", "off");
        RendererInfo r = await(fixture.renderers().spawn(type));
        try (Server server = new Server()) {
            assertEquals("off", r.sandboxLevel().label());
            exec(r, "probe:connect 127.0.0.1 " + server.port());
            Poll.untilTrue("the server accepted the renderer's connection", () -> server.accepted() == 1);
            Path outside = Dist.tempDir("sandbox-outside").resolve("from-renderer.txt");
            exec(r, "probe:write " + outside);
            assertTrue("the control renderer wrote " + outside, Files.exists(outside));
        } finally {
            stopAndCheckGone(r);
            fixture.removeType(type);
        }
    }

    @Test
    public void autoTakesTheBestSandboxAndTheShellShowsWantedAndGot() throws Exception {
        String unavailable = namespacesUnavailable();
        String type = probeType("auto-probe", "auto");
        try (LogCapture log = new LogCapture(context)) {
            RendererInfo r = await(fixture.renderers().spawn(type));
            try {
                if (unavailable == null) {
                    assertTrue("a namespace level: " + r.sandboxLevel().label(), r.sandboxLevel().label().startsWith("ns-"));
                } else {
                    assertEquals("none", r.sandboxLevel().label());
                    assertTrue("a warning says why:\n" + log.problems(),
                            log.find(LogLevel.WARN, "renderer " + r.id() + " (" + type + ") runs with no OS sandbox") != null);
                }
                String types = shell("cordon:types");
                assertTrue(types, types.lines().anyMatch(l -> l.startsWith(type + " ") && List.of(l.split("\\s+")).contains("auto")));
                String renderers = shell("cordon:renderers");
                List<String> header = List.of(renderers.lines().findFirst().orElse("").trim().split("\\s+"));
                int column = header.indexOf("SANDBOX");
                assertTrue(renderers, column > 0);
                String row = renderers.lines().filter(l -> l.startsWith(r.id() + " ")).findFirst().orElseThrow();
                assertEquals(row, r.sandboxLevel().label(), row.trim().split("\\s+")[column]);
            } finally {
                stopAndCheckGone(r);
            }
        }
        fixture.removeType(type);
    }

    /** A type running the probe bundle with the given sandbox setting. */
    private String probeType(String name, String sandbox) throws IOException {
        Path dir = Dist.mkdirs(Dist.tempDir(name).resolve("bundles"));
        TestJars.activatorBundle(dir.resolve("probe.jar"), "io.cordon.itests.probe", "1.0.0", NetFsProbe.class);
        return fixture.type(name, "never", dir.toString(), Map.of("sandbox", sandbox));
    }

    private String exec(RendererInfo r, String command) throws Exception {
        return await(fixture.renderers().exec(r.id(), command));
    }

    /** The message of a command that must fail in the renderer. */
    private String failure(RendererInfo r, String command) throws Exception {
        try {
            String output = exec(r, command);
            fail("'" + command + "' must fail in a sandboxed renderer, but printed: " + output);
            return output;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private void stopAndCheckGone(RendererInfo r) throws Exception {
        await(fixture.renderers().stop(r.id()));
        assertTrue("renderer pid " + r.pid() + " is gone", ProcessHandle.of(r.pid()).map(p -> !p.isAlive()).orElse(true));
    }

    private String shell(String command) throws Exception {
        try (CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), nowhere(), nowhere())) {
            return String.valueOf(session.execute(command));
        }
    }

    private static PrintStream nowhere() {
        return new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static void assumeNamespaces() {
        String unavailable = namespacesUnavailable();
        if (unavailable != null) {
            System.out.println("SandboxIT: skipped, this platform has no namespaces for a sandbox: " + unavailable);
        }
        assumeTrue(unavailable, unavailable == null);
    }

    /** Null when {@code unshare -Urn} or bubblewrap works here, else why neither does. */
    private static String namespacesUnavailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux";
        }
        StringBuilder why = new StringBuilder();
        for (List<String> probe : List.of(List.of("unshare", "-Urn", "true"), List.of("bwrap", "--unshare-all", "--ro-bind", "/", "/", "true"))) {
            try {
                Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    why.append(probe.get(0)).append(": no answer in 30 s; ");
                } else if (p.exitValue() == 0) {
                    return null;
                } else {
                    why.append(String.join(" ", probe)).append(": exit ").append(p.exitValue()).append(' ')
                            .append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).append("; ");
                }
            } catch (IOException e) {
                why.append(probe.get(0)).append(": ").append(e.getMessage()).append("; ");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return why.toString();
    }

    /** A TCP server on 127.0.0.1 in main's network namespace that counts the connections it accepts. */
    private static final class Server implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        private final AtomicInteger accepted = new AtomicInteger();

        Server() throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet(); // a connection reached main's loopback: counted, then closed
                        s.shutdownOutput();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "sandbox-it-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
