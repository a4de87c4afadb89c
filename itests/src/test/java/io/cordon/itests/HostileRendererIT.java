package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

import io.cordon.api.GoneReason;
import io.cordon.api.RendererEvent;
import io.cordon.api.RendererInfo;
import io.cordon.api.RendererListener;
import io.cordon.api.RendererState;
import io.cordon.api.Renderers;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;
import io.cordon.common.rsa.EndpointMessage;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;
import io.cordon.itests.failing.FailingActivator;
import io.cordon.itests.hostile.HostileActivator;
import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Line;
import io.cordon.itests.rsa.api.Point;
import io.cordon.itests.rsa.api.RendererSide;
import io.cordon.itests.rsa.api.Vault;

/**
 * A compromised renderer writing raw frames on its real channel (raw bytes over the pipe; positions and
 * lengths on its shared-memory rings, the default transport), or misbehaving in time and volume
 * (the bulkheads). Each attack must end with that renderer killed with its documented reason (mostly
 * bad-message, one audit line) or contained, while main stays up, a witness renderer keeps being
 * served, and the targeted service never runs. Echo is whitelisted as echo|stretch; secret() and Vault
 * are not. Beside them: an honest renderer merely paused (SIGSTOP) is not taken for a hostile one, and main's own
 * shutdown stays bounded (one test stops and restarts io.cordon.main). The class runs with short limits: drain 2 s,
 * stop 3 s, RSA call timeout 3 s, the hostile type's buffer 4 MiB.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostileRendererIT {

    private static final long WAIT_S = 60;
    /** The hostile renderer over the pipe, for raw bytes on its stdout. */
    private static final String RAW_TYPE = "hostile-pipe";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    /** Echo calls other than the witness's ("x", "y"): any would be the hostile renderer's. */
    private final AtomicInteger hostileEchoes = new AtomicInteger();
    private final AtomicInteger slowEchoes = new AtomicInteger();
    private final AtomicInteger stretches = new AtomicInteger();
    private final AtomicInteger secrets = new AtomicInteger();
    private final AtomicInteger vaults = new AtomicInteger();
    private final BlockingQueue<RendererEvent> events = new LinkedBlockingQueue<>();
    private ServiceRegistration<?> echo;
    private ServiceRegistration<?> vault;
    private ServiceRegistration<?> listener;
    private RendererFixture fixture;
    private final Codec codec = new Codec(WireFormat.SMILE);
    /** Each type's renderer bundle folder, for hot deploy. */
    private final Map<String, Path> bundleDirs = new java.util.HashMap<>();

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
        fixture.configure("io.cordon.supervisor", Map.of("drain.timeout.ms", 2_000L, "stop.timeout.ms", 3_000L));
        fixture.configure("io.cordon.rsa", Map.of("call.timeout.ms", 3_000L));
        Hashtable<String, Object> remotable = new Hashtable<>(Map.of("service.exported.interfaces", "*"));
        echo = context.registerService(Echo.class, new Echo() {
            @Override
            public String echo(String text) {
                if (text.startsWith("slow")) {
                    slowEchoes.incrementAndGet();
                    sleep(300);
                } else if (!List.of("x", "y").contains(text)) {
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
        type(RAW_TYPE, true);
        type("witness", false);
    }

    @After
    public void cleanUp() throws Exception {
        listener.unregister();
        echo.unregister();
        vault.unregister();
        fixture.removeType("hostile");
        fixture.removeType(RAW_TYPE);
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
        attackRaw("hostile:raw " + b64(ByteBuffer.allocate(8).putInt(2).putInt(0x21000000).array()));
    }

    @Test
    public void anOversizedFrame() throws Exception {
        attackRaw("hostile:raw " + b64(ByteBuffer.allocate(16).putInt(64 << 20).put((byte) 33).array()));
    }

    @Test
    public void garbageBytes() throws Exception {
        attackRaw("hostile:raw " + b64("GET / HTTP/1.1\r\nHost: main\r\n\r\n".getBytes()));
    }

    // ---- the shared-memory rings (the hostile type's transport): main reads only what it copied out and checked ----

    @Test
    public void aRingWritePositionPastItsCapacity() throws Exception {
        attack(GoneReason.BAD_MESSAGE, "ring write position", r -> "hostile:ring tail");
    }

    @Test
    public void aRingRecordWithALyingLength() throws Exception {
        attack(GoneReason.BAD_MESSAGE, "ring record of frame length 2147483647", r -> "hostile:ring length");
    }

    @Test
    public void aRingReadPositionPastWhatMainWrote() throws Exception {
        attack(GoneReason.BAD_MESSAGE, "ring read position", r -> "hostile:ring head");
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
        attack(GoneReason.BAD_MESSAGE, "health problem of unknown kind 99",
                r -> "hostile:send " + FrameType.HEALTH + " 0 " + b64(unknownKind));
    }

    @Test
    public void anAnswerToARequestMainNeverMade() throws Exception { // a late answer to one main gave up on is dropped: SupervisorIT
        attack(GoneReason.BAD_MESSAGE, "which main never used",
                r -> "hostile:send " + FrameType.EXEC_RESULT + " 4242 " + b64(new Messages.Result(0, "forged").encode()));
    }

    @Test
    public void moreHealthReportsThanMainAskedFor() throws Exception {
        attack(GoneReason.BAD_MESSAGE, "HEALTH more often than main asked",
                r -> "hostile:repeat 500 " + FrameType.HEALTH + " " + b64(Messages.Health.OK.encode()));
    }

    // ---- bulkheads: time and volume ----

    @Test
    public void aRendererThatStopsReadingIsKilledAsUnresponsiveWhileMainServesOn() throws Exception {
        String big = args(Echo.class, "echo", "z".repeat(64 * 1024));
        // 48 answers of 64 KiB: more than its 256 KiB ring from main holds (and the pipe's 64 KiB), so main's writer waits
        attack(GoneReason.UNRESPONSIVE, "stopped reading its channel",
                r -> "hostile:deaf 48 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + big);
    }

    @Test
    public void stoppingARendererThatStopsReadingFinishesWithinTheStopTimeout() throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        RendererInfo hostile = await(renderers().spawn("hostile"));
        String big = args(Echo.class, "echo", "z".repeat(64 * 1024));
        await(renderers().exec(hostile.id(), "hostile:deaf 20 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + big));
        long start = System.nanoTime();
        RendererInfo gone = await(renderers().stop(hostile.id()));
        System.out.println("bulkhead: stop of a renderer that stopped reading took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertEquals(GoneReason.KILLED, gone.gone());
        assertEquals("y", side.echoViaMain("y"));
        await(renderers().stop(witness.id()));
    }

    @Test
    public void aRendererHoldingALargeUnfinishedMessageIsKilledForItsBudget() throws Exception {
        attack(GoneReason.BAD_MESSAGE, "buffer budget (buffer.mb = 4)", r -> "hostile:big 33 77 16");
    }

    @Test
    public void aFloodOfSlowCallsWaitsForItsOwnThreadsOnlyThenHitsTheInFlightLimit() throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        RendererInfo hostile = await(renderers().spawn("hostile"));
        String slow = args(Echo.class, "echo", "slow");
        await(renderers().exec(hostile.id(), "hostile:flood 200 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + slow));
        Poll.untilTrue("the slow calls running", () -> slowEchoes.get() > 0);
        long start = System.nanoTime();
        assertEquals("x", side.echoViaMain("x"));
        long witnessMs = (System.nanoTime() - start) / 1_000_000;
        int servedMeanwhile = slowEchoes.get();
        System.out.println("bulkhead: witness call during a flood of 200 slow calls: " + witnessMs + " ms; slow calls started by then: "
                + servedMeanwhile);
        assertTrue("the witness was not queued behind the flood: " + servedMeanwhile + " of 200 slow calls had started",
                servedMeanwhile < 200);
        try (LogCapture log = new LogCapture(context)) {
            // not awaited: the renderer is killed before it can answer
            renderers().exec(hostile.id(), "hostile:flood 100 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + slow);
            RendererEvent gone = next(e -> e.kind() == RendererEvent.Kind.GONE && e.renderer().id() == hostile.id());
            assertEquals(log.problems(), GoneReason.BAD_MESSAGE, gone.renderer().gone());
            assertTrue(gone.detail(), gone.detail().contains("calls in flight"));
        }
        assertEquals("y", side.echoViaMain("y"));
        await(renderers().stop(witness.id()));
    }

    @Test
    public void anEndlessStderrLineIsCutAndAFloodOfLinesIsSummarised() throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        RendererInfo hostile = await(renderers().spawn("hostile"));
        try (LogCapture log = new LogCapture(context)) {
            await(renderers().exec(hostile.id(), "hostile:scream 64"));
            await(renderers().exec(hostile.id(), "hostile:chatter 20000"));
            assertNotNull(Poll.until("the cut line", () -> log.find(LogLevel.INFO, "[renderer " + hostile.id(), "more bytes cut")));
            assertNotNull(Poll.until("the dropped summary", () -> log.find(LogLevel.INFO, "[renderer " + hostile.id(), "lines dropped")));
            assertTrue("no relayed line is longer than the cut",
                    log.count(LogLevel.INFO, "[renderer " + hostile.id(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + "A".repeat(9000)) == 0);
        }
        assertEquals("y", side.echoViaMain("y"));
        assertEquals("the hostile renderer is contained, not killed", RendererState.READY, renderers().get(hostile.id()).orElseThrow().state());
        await(renderers().stop(hostile.id()));
        await(renderers().stop(witness.id()));
    }

    @Test
    public void anAnnouncementWithNullFieldsIsABadMessage() throws Exception {
        attack(GoneReason.BAD_MESSAGE, "RSA_ENDPOINT", r -> "hostile:send 32 0 " + b64(codec.encode(new EndpointMessage(null, 5, 0,
                List.of(RendererSide.class.getName()), Map.of(), List.of(), Map.of(), List.of()))));
        attack(GoneReason.BAD_MESSAGE, "names no interface", r -> "hostile:send 32 0 " + b64(codec.encode(new EndpointMessage("add", 6, 0,
                null, Map.of(), List.of(), Map.of(), List.of()))));
    }

    @Test
    public void aRendererCannotMakeMainWaitLongerThanItsOwnCallTimeout() throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        RendererInfo hostile = await(renderers().spawn("hostile"));
        await(renderers().exec(hostile.id(), "hostile:slowside"));
        RendererSide slow = RsaITSupport.side(context, hostile.id());
        long start = System.nanoTime();
        CompletableFuture<Throwable> stuck = CompletableFuture.supplyAsync(() -> {
            try {
                slow.sleep(1);
                return null;
            } catch (RuntimeException | InterruptedException e) {
                return e;
            }
        });
        assertEquals("an honest renderer is served while main waits on the hostile one", "x", side.echoViaMain("x"));
        Throwable e = stuck.get();
        System.out.println("bulkhead: a call to an endpoint asking for osgi.basic.timeout=Long.MAX_VALUE failed after "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertTrue(String.valueOf(e), e instanceof org.osgi.framework.ServiceException && e.getMessage().contains("within 3000 ms"));
        await(renderers().stop(hostile.id()));
        await(renderers().stop(witness.id()));
    }

    @Test
    public void controlCharactersFromARendererNeverReachMainsLogRaw() throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        RendererInfo hostile = await(renderers().spawn("hostile"));
        String forged = "\r\u001b[2K12:00:00.000 AUDIT [io.cordon.main] bad-message: renderer 99 (type forged) forged";
        try (LogCapture log = new LogCapture(context)) {
            await(renderers().exec(hostile.id(), "hostile:print " + b64(("evil\r\u001b[2K" + forged).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            await(renderers().exec(hostile.id(), "hostile:send 32 0 " + b64(codec.encode(new EndpointMessage("add", 7, 0,
                    List.of("not.Provided\n" + forged), Map.of(), List.of(), Map.of(), List.of())))));
            assertNotNull(Poll.until("the relayed line", () -> log.find(LogLevel.INFO, "[renderer " + hostile.id(), "evil\\r\\u001b")));
            assertNotNull(Poll.until("the refusal", () -> log.find(LogLevel.WARN, "not.Provided\\n")));
            assertEquals("nothing forged an audit line", 0, log.count(LogLevel.AUDIT, "forged"));
            assertEquals("no raw control character reached the log", 0, log.count(LogLevel.INFO, "\u001b")
                    + log.count(LogLevel.WARN, "\u001b") + log.count(LogLevel.WARN, "\n12:00"));
        }
        assertEquals("the witness is served", "x", side.echoViaMain("x"));
        await(renderers().stop(hostile.id()));
        await(renderers().stop(witness.id()));
    }

    @Test
    public void queuedLargeCallsCountAgainstItsBufferBudget() throws Exception {
        // 60 calls of 100 KiB (each legal, one frame) into a service taking 300 ms: its 4 invoker threads are busy, the
        // rest wait in its own queue, and what waits is charged to its 4 MiB buffer budget
        String fat = args(Echo.class, "echo", "slow" + "z".repeat(100 * 1024));
        RendererEvent gone = attack(GoneReason.BAD_MESSAGE, "exceeds its buffer budget (buffer.mb = 4)",
                r -> "hostile:flood 60 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + fat);
        assertTrue(gone.detail(), gone.detail().contains("waiting for a thread"));
        System.out.println("bulkhead: 60 queued calls of 100 KiB, budget 4 MiB: killed after " + slowEchoes.get()
                + " had started; " + gone.detail());
    }

    @Test
    public void largeAnnouncementsMainKeepsCountAgainstItsBufferBudget() throws Exception {
        // main keeps each endpoint it imports (its description, its proxy's service properties) while it is exported
        java.util.StringJoiner three = new java.util.StringJoiner(",");
        for (int i = 0; i < 3; i++) {
            three.add(b64(codec.encode(new EndpointMessage("add", 20 + i, 0, List.of(RendererSide.class.getName()), Map.of(), List.of(),
                    Map.of("padding", "p".repeat(800 * 1024)), List.of()))));
        }
        RendererEvent gone = attack(GoneReason.BAD_MESSAGE, "exceeds its buffer budget (buffer.mb = 4)", r -> "hostile:each 32 " + three);
        assertTrue(gone.detail(), gone.detail().contains("kept while exported"));
    }

    @Test
    public void anEndpointFlappingFasterThanTheAnnouncementRateIsABadMessage() throws Exception {
        // each add and remove would register and unregister a proxy in main's service registry, waking its listeners
        String add = b64(codec.encode(new EndpointMessage("add", 30, 0, List.of(RendererSide.class.getName()), Map.of(), List.of(),
                Map.of(), List.of())));
        String remove = b64(codec.encode(new EndpointMessage("remove", 30, 0, List.of(), Map.of(), List.of(), Map.of(), List.of())));
        String flaps = String.join(",", java.util.Collections.nCopies(1000, add + "," + remove));
        attack(GoneReason.BAD_MESSAGE, "RSA_ENDPOINT announcements a second", r -> "hostile:each 32 " + flaps);
    }

    @Test
    public void thousandsOfRefusedInterfaceNamesLeaveMainsLogBounded() throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        RendererInfo hostile = await(renderers().spawn("hostile"));
        List<String> thousands = java.util.stream.IntStream.range(0, 5000).mapToObj(i -> "not.provided.All" + i).toList();
        java.util.StringJoiner distinct = new java.util.StringJoiner(",");
        for (int i = 0; i < 300; i++) { // within the announcements' burst (512): a flood of them is the next test
            distinct.add(b64(codec.encode(new EndpointMessage("add", 8, 0, List.of("not.provided.One" + i), Map.of(), List.of(),
                    Map.of(), List.of()))));
        }
        String refused = "renderer " + hostile.id() + " (hostile) exports";
        try (LogCapture log = new LogCapture(context)) {
            await(renderers().exec(hostile.id(), "hostile:send 32 0 " + b64(codec.encode(new EndpointMessage("add", 9, 0, thousands,
                    Map.of(), List.of(), Map.of(), List.of())))));
            await(renderers().exec(hostile.id(), "hostile:each 32 " + distinct));
            assertNotNull(Poll.until("the line that ends the refusals' log", () -> log.find(LogLevel.WARN, refused, "logs no more")));
            long lines = log.count(LogLevel.WARN, refused);
            long longest = log.entries(LogLevel.WARN, refused).mapToInt(String::length).max().orElse(0);
            System.out.println("bulkhead: 301 refused announcements (5300 interface names): " + lines + " WARN lines, the longest "
                    + longest + " chars");
            assertEquals("64 refusals logged, then one line saying no more are", 65, lines);
            assertTrue("each line is cut: " + longest, longest < 1024);
        }
        assertEquals("the witness is served", "x", side.echoViaMain("x"));
        assertEquals("refused, not killed", RendererState.READY, renderers().get(hostile.id()).orElseThrow().state());
        await(renderers().stop(hostile.id()));
        await(renderers().stop(witness.id()));
    }

    @Test
    public void aFailedReasonAtStartUpReachesMainsLogEscaped() throws Exception {
        String forged = "evil\r\u001b[2K\n12:00:00.000 AUDIT [io.cordon.main] bad-message: renderer 99 (type forged) forged"
                + "\u2028\u0085\u2029end";
        Path bundles = Dist.mkdirs(Dist.tempDir("hostile-forging").resolve("bundles"));
        TestJars.activatorBundle(bundles.resolve("failing.jar"), "io.cordon.itests.failing", "1.0.0", FailingActivator.class,
                FailingActivator.MESSAGE_HEADER, b64(forged.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        fixture.type("forging", "never", bundles.toString(), Map.of());
        try (LogCapture log = new LogCapture(context)) {
            try {
                await(renderers().spawn("forging"));
                org.junit.Assert.fail("spawn must fail");
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("launch-failed") && e.getMessage().contains("evil"));
                assertTrue("no raw control character in the failure: " + e.getMessage(), raw(e.getMessage()).isEmpty());
            }
            assertNotNull(Poll.until("the forged line, escaped", () -> log.find(LogLevel.ERROR, "AUDIT [io.cordon.main] bad-message",
                    "\\u2028\\u0085\\u2029end")));
            assertEquals("nothing forged an audit line", 0, log.count(LogLevel.AUDIT, "forged"));
            List<String> raw = log.entries(null, "").filter(m -> !raw(m).isEmpty()).toList();
            assertTrue("no raw control character reached main's log: " + raw, raw.isEmpty());
            log.entries(LogLevel.ERROR, "forging").forEach(m -> System.out.println("bulkhead: logged: " + m));
        } finally {
            fixture.removeType("forging");
        }
    }

    /** The control characters and line separators in {@code text}, as code points. */
    private static List<Integer> raw(String text) {
        return text.chars().filter(c -> c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029).boxed().toList();
    }

    @Test
    public void anHonestRendererPausedWithSigstopFailsMainsCallInTimeAndHoldsUpNoHotDeploy() throws Exception {
        RendererInfo paused = await(renderers().spawn("witness"));
        RendererInfo running = await(renderers().spawn("witness"));
        RendererSide stopped = RsaITSupport.side(context, paused.id());
        RendererSide side = RsaITSupport.side(context, running.id());
        try (LogCapture log = new LogCapture(context)) {
            signal("STOP", paused.pid());
            long start = System.nanoTime();
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
                try {
                    stopped.length(new byte[200 * 1024]);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertEquals("the type's other renderer is served meanwhile", "x", side.echoViaMain("x"));
            Throwable e = call.get(WAIT_S, TimeUnit.SECONDS);
            System.out.println("bulkhead: a 200 KiB call to a renderer paused with SIGSTOP failed after "
                    + (System.nanoTime() - start) / 1_000_000 + " ms: " + e);
            assertTrue(String.valueOf(e), e instanceof org.osgi.framework.ServiceException && e.getMessage().contains("within 3000 ms"));

            start = System.nanoTime();
            TestJars.padded(bundleDirs.get("witness").resolve("padded.jar"), "io.cordon.itests.padded", 2 << 20);
            Poll.untilTrue("the 2 MiB bundle in the running renderer", () -> lb(running.id()).contains("io.cordon.itests.padded"));
            RendererState pausedThen = renderers().get(paused.id()).orElseThrow().state();
            System.out.println("bulkhead: a 2 MiB bundle hot-deployed reached the type's running renderer in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms; its paused renderer was " + pausedThen + " by then");

            signal("CONT", paused.pid());
            if (renderers().get(paused.id()).orElseThrow().state() != RendererState.GONE) {
                // resumed before its drain timeout ran out: it carries on, its late answer dropped, not punished
                assertEquals(3, stopped.length(new byte[3]));
            }
            RendererInfo end = renderers().get(paused.id()).orElseThrow();
            RendererInfo gone = end.state() == RendererState.GONE ? end : await(renderers().stop(paused.id()));
            System.out.println("bulkhead: the paused renderer ended " + gone.gone() + ": "
                    + Optional.ofNullable(log.find(LogLevel.WARN, "renderer " + paused.id() + " ")).map(l -> l.getMessage()).orElse(""));
            // README: stopped on request (clean-exit), or, had it stayed paused past the drain timeout, unresponsive
            assertTrue("a paused renderer is not hostile: " + gone.gone(),
                    java.util.EnumSet.of(GoneReason.CLEAN_EXIT, GoneReason.UNRESPONSIVE).contains(gone.gone()));
            assertEquals("no audit line names it", 0, log.count(LogLevel.AUDIT, "renderer " + paused.id() + " ("));
        }
        assertEquals("y", side.echoViaMain("y"));
        await(renderers().stop(running.id()));
    }

    private String lb(int id) {
        try {
            return await(renderers().exec(id, "lb -s"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertEquals("kill -" + signal + " " + pid, 0, kill.waitFor());
    }

    /**
     * Stops io.cordon.main, which drives main's own shutdown path (the supervisor's deactivate stopping every renderer),
     * and starts it again: the class's other tests run on the restarted main whatever the order.
     */
    @Test
    public void mainsShutdownWithARendererThatStopsReadingFinishesInTimeAndLeavesNoProcess() throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererInfo hostile = await(renderers().spawn("hostile"));
        String big = args(Echo.class, "echo", "z".repeat(64 * 1024));
        await(renderers().exec(hostile.id(), "hostile:deaf 20 " + handle(echo) + " " + methodId(Echo.class, "echo") + " " + big));
        Poll.untilTrue("main served its 20 calls (their answers wait in its queue)", () -> hostileEchoes.get() >= 20);
        Bundle main = Bundles.bySymbolicName(context, "io.cordon.main");
        long start = System.nanoTime();
        main.stop();
        try {
            System.out.println("bulkhead: main's shutdown (io.cordon.main stopped, stop.timeout.ms = 3000) with a renderer that stopped "
                    + "reading took " + (System.nanoTime() - start) / 1_000_000 + " ms");
            for (RendererInfo r : List.of(witness, hostile)) {
                Poll.untilTrue("renderer " + r.id() + " (pid " + r.pid() + ") exited with main's supervisor",
                        () -> ProcessHandle.of(r.pid()).map(p -> !p.isAlive()).orElse(true));
            }
            assertTrue("no process left: " + new RendererProcesses(context).byId(),
                    Poll.until("no renderer process", () -> new RendererProcesses(context).byId().isEmpty() ? true : null));
        } finally {
            main.start();
        }
        RendererInfo again = await(renderers().spawn("witness"));
        assertEquals("main works again", "x", RsaITSupport.side(context, again.id()).echoViaMain("x"));
        await(renderers().stop(again.id()));
    }

    // ---- the attack and what must hold after it ----

    private interface Command {
        String of(RendererInfo hostile) throws Exception;
    }

    private void attack(Command command) throws Exception {
        attack(GoneReason.BAD_MESSAGE, "", command);
    }

    /** Raw bytes on file descriptor 1 are frames only over the pipe (over shared memory they are doorbells). */
    private void attackRaw(String command) throws Exception {
        attack(RAW_TYPE, GoneReason.BAD_MESSAGE, "", r -> command);
    }

    /**
     * Runs the commands in the hostile renderer; it must end as {@code reason} with {@code detail} while the witness is
     * served. Returns its GONE event.
     */
    private RendererEvent attack(GoneReason reason, String detail, Command... commands) throws Exception {
        return attack("hostile", reason, detail, commands);
    }

    private RendererEvent attack(String type, GoneReason reason, String detail, Command... commands) throws Exception {
        RendererInfo witness = await(renderers().spawn("witness"));
        RendererSide side = RsaITSupport.side(context, witness.id());
        assertEquals("x", side.echoViaMain("x"));
        RendererInfo hostile = await(renderers().spawn(type));
        try (LogCapture log = new LogCapture(context)) {
            for (Command command : commands) {
                renderers().exec(hostile.id(), command.of(hostile));
            }
            RendererEvent gone = next(e -> e.kind() == RendererEvent.Kind.GONE && e.renderer().id() == hostile.id());
            assertEquals("the hostile renderer's end: " + log.problems(), reason, gone.renderer().gone());
            assertTrue(gone.detail(), gone.detail().contains(detail));
            if (reason == GoneReason.BAD_MESSAGE) {
                assertNotNull("one audit line:\n" + log.problems(),
                        Poll.until("the audit line", () -> log.find(LogLevel.AUDIT, "bad-message: renderer " + hostile.id())));
                assertEquals("one audit line", 1, log.count(LogLevel.AUDIT, "bad-message: renderer " + hostile.id() + " ("));
            }
            // main is up and serving: the witness still reaches its Echo through main
            assertEquals("the witness still answers", "y", side.echoViaMain("y"));
            await(renderers().stop(witness.id()));
            return gone;
        }
    }

    // ---- helpers ----

    private void type(String name, boolean hostile) throws Exception {
        Path dir = Dist.tempDir("hostile-" + name);
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        bundleDirs.put(name, bundles);
        RsaIT.exposingApiBundle(preload.resolve("api.jar"));
        if (hostile) {
            TestJars.bundle(bundles.resolve("hostile.jar"), "io.cordon.itests.hostile", "1.0.0", List.of(HostileActivator.class),
                    "Bundle-Activator", HostileActivator.class.getName(),
                    "Import-Package", "org.osgi.framework,org.osgi.util.promise,io.cordon.common.channel," + RsaIT.API);
        } else {
            RsaIT.sideJar(bundles.resolve("side.jar"));
        }
        Map<String, Object> settings = new java.util.HashMap<>(RsaIT.rendererSettings(preload, 64));
        if (hostile) {
            settings.put("buffer.mb", 4);
        }
        if (name.equals(RAW_TYPE)) {
            settings.put("transport", "pipe");
        }
        fixture.type(name, "never", bundles.toString(), settings);
    }

    private long handle(ServiceRegistration<?> registration) {
        return RsaITSupport.channelHandle(context, registration.getReference());
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private RendererEvent next(java.util.function.Predicate<RendererEvent> wanted) throws InterruptedException {
        return RendererFixture.next(events, wanted);
    }

    private Renderers renderers() {
        return fixture.renderers();
    }

    private static <T> T await(org.osgi.util.promise.Promise<T> promise) throws Exception {
        return RendererFixture.await(promise);
    }
}
