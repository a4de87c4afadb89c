package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererListener;
import io.cordon.api.Renderers;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;
import io.cordon.itests.hostile.HostileActivator;
import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Line;
import io.cordon.itests.rsa.api.Point;
import io.cordon.itests.rsa.api.RendererSide;
import io.cordon.itests.rsa.api.Vault;

/**
 * A compromised renderer writing raw frames on its real channel. Each attack must end with that
 * renderer killed (reason bad-message, one audit line) or refused, while main stays up, a witness
 * renderer keeps answering, and the targeted service never runs. Echo is whitelisted as echo|stretch;
 * secret() and Vault are not.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostileRendererIT {

    private static final long WAIT_S = 60;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    /** Echo calls other than the witness's ("x", "y"): any would be the hostile renderer's. */
    private final AtomicInteger hostileEchoes = new AtomicInteger();
    private final AtomicInteger stretches = new AtomicInteger();
    private final AtomicInteger secrets = new AtomicInteger();
    private final AtomicInteger vaults = new AtomicInteger();
    private final BlockingQueue<RendererEvent> events = new LinkedBlockingQueue<>();
    private ServiceRegistration<?> echo;
    private ServiceRegistration<?> vault;
    private ServiceRegistration<?> listener;
    private RendererFixture fixture;
    private final Codec codec = new Codec(WireFormat.SMILE);

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader("Export-Package", RsaIT.API + ";version=\"1.0.0\"");
        return probe;
    }

    @Before
    public void services() throws Exception {
        fixture = new RendererFixture(context, configAdmin);
        Hashtable<String, Object> remotable = new Hashtable<>(Map.of("service.exported.interfaces", "*"));
        echo = context.registerService(Echo.class, new Echo() {
            @Override
            public String echo(String text) {
                if (!List.of("x", "y").contains(text)) {
                    hostileEchoes.incrementAndGet();
                }
                return text;
            }

            @Override
            public Line stretch(Line line, int dx) {
                stretches.incrementAndGet();
                return line;
            }

            @Override
            public String secret() {
                secrets.incrementAndGet();
                return "secret";
            }
        }, remotable);
        vault = context.registerService(Vault.class, () -> {
            vaults.incrementAndGet();
            return "opened";
        }, remotable);
        listener = context.registerService(RendererListener.class, events::add, null);
        type("hostile", true);
        type("witness", false);
    }

    @After
    public void cleanUp() throws Exception {
        listener.unregister();
        echo.unregister();
        vault.unregister();
        fixture.removeType("hostile");
        fixture.removeType("witness");
    }

    @Test
    public void aMethodOutsideTheWhitelistOnAWhitelistedInterface() throws Exception {
        attack(r -> "hostile:call 1 " + handle(echo) + " " + methodId(Echo.class, "secret") + " " + args(Echo.class, "secret"));
        assertEquals(0, secrets.get());
    }

    @Test
    public void anInterfaceThatIsNotWhitelisted() throws Exception {
        attack(r -> "hostile:call 1 " + handle(vault) + " 0 " + args(Vault.class, "open"));
        assertEquals(0, vaults.get());
    }

    @Test
    public void anUnknownEndpointId() throws Exception {
        attack(r -> "hostile:call 1 987654321 0 " + args(Vault.class, "open"));
    }

    @Test
    public void argumentsOfTheWrongType() throws Exception {
        String intInsteadOfString = b64(codec.forInterface(RendererSide.class).methods().stream()
                .filter(m -> m.method().getName().equals("square")).findFirst().orElseThrow().encodeArguments(new Object[] {42}));
        attack(r -> "hostile:call 1 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + intInsteadOfString);
        assertEquals("echo never ran for the hostile call", 0, hostileEchoes.get());
    }

    @Test
    public void aPayloadCarryingJacksonTypeHints() throws Exception {
        ObjectMapper smile = new ObjectMapper(new SmileFactory());
        byte[] hinted = smile.writeValueAsBytes(List.of(Map.of("@class", "java.lang.ProcessBuilder", "command", List.of("touch", "/tmp/pwned"),
                "from", Map.of("x", 1, "y", 2)), 1));
        attack(r -> "hostile:call 1 " + handle(echo) + " " + methodId(Echo.class, "stretch") + " " + b64(hinted));
        assertEquals("stretch never ran for the hostile call", 0, stretches.get());
    }

    @Test
    public void aFrameWithALyingLength() throws Exception {
        attack(r -> "hostile:raw " + b64(ByteBuffer.allocate(8).putInt(2).putInt(0x21000000).array()));
    }

    @Test
    public void anOversizedFrame() throws Exception {
        attack(r -> "hostile:raw " + b64(ByteBuffer.allocate(16).putInt(64 << 20).put((byte) 33).array()));
    }

    @Test
    public void garbageBytes() throws Exception {
        attack(r -> "hostile:raw " + b64("GET / HTTP/1.1\r\nHost: main\r\n\r\n".getBytes()));
    }

    @Test
    public void aFloodAboveTheLimits() throws Exception {
        String args = args(Echo.class, "echo", "flood");
        attack(r -> "hostile:flood 200000 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + args);
    }

    @Test
    public void aHealthReportOfAnUnknownKind() throws Exception {
        byte[] unknownKind = ByteBuffer.allocate(15).putInt(0).putInt(1).put((byte) 99).putShort((short) 1).put((byte) 's')
                .putShort((short) 1).put((byte) 'd').array();
        attack(r -> "hostile:frames 1 " + FrameType.HEALTH + " " + b64(unknownKind));
    }

    @Test
    public void moreHealthReportsThanMainAskedFor() throws Exception {
        attack(r -> "hostile:frames 500 " + FrameType.HEALTH + " " + b64(Messages.Health.OK.encode()));
    }

    // ---- the attack and what must hold after it ----

    private interface Command {
        String of(RendererInfo hostile) throws Exception;
    }

    private void attack(Command command) throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        assertEquals("x", side.echoViaMain("x"));
        RendererInfo hostile = await(renderers().spawn("hostile"));
        try (LogCapture log = new LogCapture(context)) {
            String text = command.of(hostile);
            renderers().exec(hostile.id(), text);
            RendererEvent gone = next(e -> e.kind() == RendererEvent.Kind.GONE && e.renderer().id() == hostile.id());
            assertEquals("the hostile renderer's end: " + log.problems(), GoneReason.BAD_MESSAGE, gone.renderer().gone());
            assertNotNull("one audit line:\n" + log.problems(),
                    Poll.until("the audit line", () -> log.find(LogLevel.AUDIT, "bad-message: renderer " + hostile.id())));
        }
        // main is up and serving: the witness still reaches its Echo through main
        assertEquals("the witness still answers", "y", side.echoViaMain("y"));
        await(renderers().stop(witness.id()));
    }

    // ---- helpers ----

    private void type(String name, boolean hostile) throws Exception {
        Path dir = Dist.tempDir("hostile-" + name);
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        RsaIT.exposingApiBundle(preload.resolve("api.jar"));
        if (hostile) {
            TestJars.bundle(bundles.resolve("hostile.jar"), "io.cordon.itests.hostile", "1.0.0", List.of(HostileActivator.class),
                    "Bundle-Activator", HostileActivator.class.getName(),
                    "Import-Package", "org.osgi.framework,io.cordon.common.channel");
        } else {
            RsaIT.sideJar(bundles.resolve("side.jar"));
        }
        fixture.type(name, "never", bundles.toString(), RsaIT.rendererSettings(preload, 64));
    }

    private static long handle(ServiceRegistration<?> registration) {
        return (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
    }

    /** The wire id main gives the method: its index in the interface's method table. */
    private int methodId(Class<?> type, String name) throws Exception {
        List<MethodCodec> methods = codec.forInterface(type).methods();
        for (int i = 0; i < methods.size(); i++) {
            if (methods.get(i).method().getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no method " + name);
    }

    private String args(Class<?> type, String name, Object... values) throws Exception {
        MethodCodec m = codec.forInterface(type).methods().get(methodId(type, name));
        return b64(m.encodeArguments(values.length == 0 ? null : values));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private RendererEvent next(java.util.function.Predicate<RendererEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (System.nanoTime() < deadline) {
            RendererEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no matching renderer event within " + WAIT_S + " s");
    }

    private Renderers renderers() {
        return fixture.renderers();
    }

    private static <T> T await(org.osgi.util.promise.Promise<T> promise) throws Exception {
        return RendererFixture.await(promise);
    }
}
