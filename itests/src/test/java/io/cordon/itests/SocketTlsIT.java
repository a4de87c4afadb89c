package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ImportRegistration;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;

import io.cordon.itests.socket.api.Remote;
import io.cordon.itests.socket.peer.EndpointFileActivator;

/**
 * The socket transport across two JVMs over TCP with mutual TLS: a real {@code bin/cordon} exports a
 * service on cordon.socket and writes its endpoint's properties to a file (the discovery here); this
 * framework imports it. A framework presenting a certificate the peer does not trust is refused and
 * logged on both sides, and nothing is imported.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SocketTlsIT {

    private static final String PASSWORD = "changeit-for-tests";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    private Configuration socketConfig;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Export-Package", SocketIT.API + ";version=\"1.0.0\"");
        return probe;
    }

    @Test
    public void aServiceInAnotherJvmIsCalledOverMutualTlsAndAStrangerIsRefused() throws Exception {
        Path dir = Dist.tempDir("tls");
        Path main = key(dir, "main");
        Path peerKey = key(dir, "peer");
        Path stranger = key(dir, "stranger");
        Path mainTrust = trust(dir, "main-trust", "peer");
        Path peerTrust = trust(dir, "peer-trust", "main");
        Process peer = startPeer(dir, peerKey, peerTrust);
        try (LogCapture log = new LogCapture(context)) {
            EndpointDescription endpoint = endpoint(dir, peer);
            String address = String.valueOf(List.of((String[]) endpoint.getProperties().get("cordon.socket.address")));
            assertTrue(address, address.startsWith("[tls:localhost:"));

            RemoteServiceAdmin rsa = transport(stranger, mainTrust);
            ImportRegistration refused = rsa.importService(endpoint);
            assertNotNull("a stranger's import fails", refused.getException());
            assertNull("nothing is imported", context.getServiceReference(Remote.class));
            Poll.until(() -> "the peer logs the refusal:\n" + output(dir), () -> output(dir).contains("socket transport: refused tls peer")
                    ? Boolean.TRUE : null);
            assertFalse("the stranger was never admitted", output(dir).contains("connected (tls peer"));

            rsa = transport(main, mainTrust);
            ImportRegistration registration = rsa.importService(endpoint);
            assertNull(String.valueOf(registration.getException()), registration.getException());
            Remote remote = (Remote) context.getService(registration.getImportReference().getImportedService());
            assertEquals("echo:über TLS", remote.echo("über TLS"));
            assertEquals("later:tls", remote.later("tls", 100).get(20, TimeUnit.SECONDS));
            assertEquals(Integer.valueOf(9), remote.square(3).getValue());
            registration.close();
            assertNotNull(log.find(LogLevel.INFO, "socket transport: framework", "connected (tls:localhost:"));
        } finally {
            if (socketConfig != null) {
                socketConfig.delete();
            }
            stop(peer);
        }
    }

    // ---- the peer JVM ----

    private static Process startPeer(Path dir, Path keystore, Path truststore) throws IOException {
        Path deploy = Dist.mkdirs(dir.resolve("deploy"));
        Files.writeString(deploy.resolve("io.cordon.socket.cfg"), String.join("\n", "unix=false", "tls.port=0",
                "tls.host=127.0.0.1", "tls.advertised.host=localhost", "tls.keystore=" + keystore, ".tls.keystore.password=" + PASSWORD,
                "tls.truststore=" + truststore, ".tls.truststore.password=" + PASSWORD, ""));
        SocketIT.peerBundles(deploy.resolve("api.jar"), deploy.resolve("peer.jar"));
        TestJars.bundle(deploy.resolve("endpoint-file.jar"), "io.cordon.itests.socket.endpointfile", "1.0.0",
                List.of(EndpointFileActivator.class), "Bundle-Activator", EndpointFileActivator.class.getName(),
                "Import-Package", "org.osgi.framework,org.osgi.util.tracker,org.osgi.service.remoteserviceadmin");
        List<String> command = new ArrayList<>(List.of(Dist.home().resolve("bin/cordon").toString(), "--data", dir.resolve("data").toString(),
                "--deploy", deploy.toString(), "-D", EndpointFileActivator.FILE + "=" + dir.resolve("endpoint.properties")));
        // stdin stays open: the scripted shell keeps the peer running until it is closed
        return new ProcessBuilder(command).redirectOutput(dir.resolve("peer-out.txt").toFile())
                .redirectError(dir.resolve("peer-err.txt").toFile()).start();
    }

    private static EndpointDescription endpoint(Path dir, Process peer) throws IOException {
        Path file = dir.resolve("endpoint.properties");
        Poll.until(() -> "the peer's endpoint file (peer alive: " + peer.isAlive() + ")\n" + output(dir),
                () -> Files.exists(file) ? Boolean.TRUE : null, Duration.ofSeconds(60));
        Properties typed = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            typed.load(in);
        }
        Map<String, Object> properties = new HashMap<>();
        typed.stringPropertyNames().forEach(key -> {
            String value = typed.getProperty(key);
            properties.put(key, switch (value.substring(0, 2)) {
                case "a:" -> value.substring(2).split(",");
                case "l:" -> Long.valueOf(value.substring(2));
                default -> value.substring(2);
            });
        });
        return new EndpointDescription(properties);
    }

    /** The peer's log (bin/cordon logs to stderr). */
    private static String output(Path dir) {
        try {
            Path err = dir.resolve("peer-err.txt");
            return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void stop(Process peer) throws InterruptedException, IOException {
        peer.getOutputStream().close();
        if (!peer.waitFor(30, TimeUnit.SECONDS)) {
            peer.descendants().forEach(ProcessHandle::destroyForcibly);
            peer.destroyForcibly();
        }
    }

    // ---- this framework's transport ----

    /** Configures this framework's socket transport to connect over TLS with {@code keystore}; waits until it is on. */
    private RemoteServiceAdmin transport(Path keystore, Path truststore) throws IOException {
        if (socketConfig != null) {
            socketConfig.delete();
            Poll.until("the socket transport off", () -> supportsSocket() ? null : Boolean.TRUE);
        }
        socketConfig = configAdmin.getConfiguration("io.cordon.socket", "?");
        socketConfig.update(new Hashtable<>(Map.of("unix", false, "tls.keystore", keystore.toString(), ".tls.keystore.password", PASSWORD,
                "tls.truststore", truststore.toString(), ".tls.truststore.password", PASSWORD)));
        Poll.until("the socket transport on", () -> supportsSocket() ? Boolean.TRUE : null);
        return context.getService(context.getServiceReference(RemoteServiceAdmin.class));
    }

    private boolean supportsSocket() {
        return SocketIT.supportsSocket(context);
    }

    // ---- keys: keytool, as an administrator would make them ----

    private static Path key(Path dir, String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost, O=" + name,
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD, "-file",
                dir.resolve(name + ".cer").toString());
        return store;
    }

    /** A trust store holding the certificate of {@code trusted} only. */
    private static Path trust(Path dir, String name, String trusted) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        keytool("-importcert", "-noprompt", "-alias", trusted, "-file", dir.resolve(trusted + ".cer").toString(), "-keystore",
                store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
