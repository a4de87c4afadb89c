package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;
import io.cordon.itests.rsa.api.Echo;
import io.cordon.itests.rsa.api.Line;
import io.cordon.itests.rsa.api.RendererSide;

/**
 * {@code cordon:exports} and {@code cordon:ipc} through Gogo, after real calls both ways, read the way a
 * script reads them (header row, space-separated columns) and checked to line up for a terminal. Main's
 * call rate for renderers is lowered to {@value #RATE}/s so that a burst of calls gets some refused.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IpcCommandsIT {

    private static final int RATE = 20;
    private static final String TYPE = "ipc";
    private static final String ECHO_METHOD = "echo(java.lang.String)";
    private static final String STRETCH_METHOD = "stretch(" + Line.class.getName() + ",int)";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commands;

    private ServiceRegistration<Echo> echo;
    private RendererFixture fixture;

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
    public void setUp() throws Exception {
        fixture = new RendererFixture(context, configAdmin);
        lowerTheCallRate();
        echo = new CountingEcho().register(context);
        Path dir = Dist.tempDir("ipc-commands");
        Path preload = Dist.mkdirs(dir.resolve("preload"));
        Path bundles = Dist.mkdirs(dir.resolve("bundles"));
        RsaIT.exposingApiBundle(preload.resolve("api.jar"));
        RsaIT.sideJar(bundles.resolve("side.jar"));
        fixture.type(TYPE, "never", bundles.toString(), RsaIT.rendererSettings(preload, 64));
    }

    /** io.cordon.rsa's max.call.rate; the supervisor restarts with main's RSA, so wait for its new service. */
    private void lowerTheCallRate() throws IOException {
        Configuration rsa = configAdmin.getConfiguration("io.cordon.rsa", "?");
        if (rsa.getProperties() != null && Integer.valueOf(RATE).equals(rsa.getProperties().get("max.call.rate"))) {
            return;
        }
        Object before = Poll.until("the Renderers service", () -> context.getServiceReference(Renderers.class)).getProperty("service.id");
        Dictionary<String, Object> properties = new Hashtable<>(Map.of("max.call.rate", RATE));
        rsa.update(properties);
        Poll.untilTrue("the supervisor back with the new RSA settings", () -> {
            ServiceReference<Renderers> now = context.getServiceReference(Renderers.class);
            return now != null && !now.getProperty("service.id").equals(before);
        });
    }

    @After
    public void cleanUp() throws IOException {
        echo.unregister();
        fixture.removeType(TYPE);
    }

    @Test
    public void exportsAndIpcShowEachRenderersEndpointsMethodsAndCounters() throws Exception {
        RendererInfo busy = RendererFixture.await(fixture.renderers().spawn(TYPE));
        RendererInfo idle = RendererFixture.await(fixture.renderers().spawn(TYPE));
        RendererSide side = RsaITSupport.side(context, busy.id());
        int calls = 0;
        int refused = 0;
        // each call goes main -> renderer (echoViaMain), then renderer -> main (echo), which the rate may refuse
        while (refused == 0 && calls < 5_000) {
            calls++;
            try {
                side.echoViaMain("x");
            } catch (RuntimeException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("exceeds its call rate of " + RATE + "/s"));
                refused++;
            }
        }
        System.out.printf("IpcCommandsIT: %d calls, %d refused by the rate limit%n", calls, refused);

        String exports = Gogo.execute(commands, "cordon:exports");
        System.out.println("IpcCommandsIT: cordon:exports\n" + exports);
        List<Map<String, String>> rows = table(exports, "ID", "TYPE", "ENDPOINT", "INTERFACES", "METHOD");
        String handle = String.valueOf(RsaITSupport.channelHandle(context, echo.getReference()));
        for (RendererInfo r : List.of(busy, idle)) {
            List<Map<String, String>> own = rows.stream().filter(row -> row.get("ID").equals(String.valueOf(r.id()))).toList();
            assertEquals("renderer " + r.id() + " may call echo and stretch of main's Echo, not secret",
                    Set.of(ECHO_METHOD, STRETCH_METHOD), own.stream().map(row -> row.get("METHOD")).collect(Collectors.toSet()));
            for (Map<String, String> row : own) {
                assertEquals(TYPE, row.get("TYPE"));
                assertEquals(handle, row.get("ENDPOINT"));
                assertEquals(Echo.class.getName(), row.get("INTERFACES"));
            }
        }
        List<Map<String, String>> one = table(Gogo.execute(commands, "cordon:exports " + idle.id()), "ID", "TYPE", "ENDPOINT",
                "INTERFACES", "METHOD");
        assertEquals(List.of(String.valueOf(idle.id()), String.valueOf(idle.id())), one.stream().map(row -> row.get("ID")).toList());
        Exception unknown = assertThrows(Exception.class, () -> Gogo.execute(commands, "cordon:exports 9999"));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("no renderer 9999"));

        String ipc = Gogo.execute(commands, "cordon:ipc");
        System.out.println("IpcCommandsIT: cordon:ipc\n" + ipc);
        Map<String, Map<String, String>> counters = new LinkedHashMap<>();
        table(ipc, "ID", "TYPE", "CALLS_IN", "CALLS_OUT", "REFUSED", "BYTES_IN", "BYTES_OUT", "IN_FLIGHT",
                "SERVED_P50_US", "SERVED_P99_US", "CALLED_P50_US", "CALLED_P99_US").forEach(row -> counters.put(row.get("ID"), row));
        Map<String, String> b = counters.get(String.valueOf(busy.id()));
        assertEquals("every echo reached main, refused or not", calls, number(b, "CALLS_IN"));
        assertEquals("main called echoViaMain", calls, number(b, "CALLS_OUT"));
        assertEquals(refused, number(b, "REFUSED"));
        assertTrue(number(b, "BYTES_IN") > 0 && number(b, "BYTES_OUT") > 0);
        assertEquals(0, number(b, "IN_FLIGHT"));
        assertTrue(number(b, "SERVED_P50_US") <= number(b, "SERVED_P99_US"));
        assertTrue(number(b, "CALLED_P50_US") <= number(b, "CALLED_P99_US"));
        Map<String, String> i = counters.get(String.valueOf(idle.id()));
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(number(i, "CALLS_IN"), number(i, "CALLS_OUT"), number(i, "REFUSED"),
                number(i, "IN_FLIGHT")));
        assertEquals("no latency measured yet", List.of("-", "-", "-", "-"),
                List.of(i.get("SERVED_P50_US"), i.get("SERVED_P99_US"), i.get("CALLED_P50_US"), i.get("CALLED_P99_US")));
    }

    /**
     * The rows of a command's table, as a script splits them on blanks; also checks that every cell starts
     * where its column's header starts, so the columns line up in a terminal.
     */
    private static List<Map<String, String>> table(String output, String... header) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertFalse("no output", lines.isEmpty());
        assertEquals("header", List.of(header), List.of(lines.get(0).trim().split("\\s+")));
        List<Integer> starts = new ArrayList<>();
        for (String column : header) {
            starts.add(lines.get(0).indexOf(column));
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            assertEquals("cells in: " + line, header.length, cells.length);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                assertEquals("column " + header[c] + " lines up in:\n" + output, cells[c], line.substring(starts.get(c)).split(" ")[0]);
                row.put(header[c], cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static long number(Map<String, String> row, String column) {
        return Long.parseLong(row.get(column));
    }
}
