package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * The sample application as the README's walkthrough drives it, through the real bin/cordon with
 * the distribution's deploy folder: documents rendered in renderer processes, the whitelist shown
 * and enforced, the misbehaving plugin killed with bad-message while the rest carries on.
 */
public class SampleAppIT {

    private static final Pattern RENDERED_BY = Pattern.compile("<!-- rendered by renderer (\\d+) \\(markdown\\), pid (\\d+); main is pid (\\d+) -->");

    private CordonProcess.Result result;

    @After
    public void nothingOutlivesTheLauncher() {
        if (result != null) {
            result.children().forEach(child -> Poll.untilTrue("child " + child.pid() + " gone", () -> !child.isAlive()));
        }
    }

    @Test
    public void walkthrough() throws Exception {
        result = CordonProcess.runSample(String.join("\n",
                "sample:docs",
                "sample:render welcome",
                "sample:render welcome",
                "cordon:exports",
                "sample:analyze welcome",
                "cordon:renderers",
                "sample:render welcome",
                "sample:docs",
                "cordon:spawn plugin",
                "sample:write notes \"# Notes\" \"Rendered *out* of process.\"",
                "sample:render notes",
                "") + "\n");
        String out = result.stdout();
        assertEquals(result.toString(), 0, result.exitCode());

        assertEquals("welcome listed before and after the plugin's attempt to delete it:\n" + result, 2,
                out.lines().filter(l -> l.startsWith("welcome ") && l.contains("\"Welcome to Cordon\"")).count());
        assertTrue(out, out.contains("<h1>Welcome to Cordon</h1>"));
        assertTrue(out, out.contains("<p>Rendered <em>out</em> of process.</p>"));

        List<String> renderers = new ArrayList<>();
        Matcher render = RENDERED_BY.matcher(out);
        while (render.find()) {
            assertNotEquals("rendered in main's process: " + render.group(), render.group(3), render.group(2));
            renderers.add(render.group(1));
        }
        assertEquals(out, 4, renderers.size());
        assertEquals("two renders go to the two markdown renderers in turn: " + renderers, 2, Set.copyOf(renderers.subList(0, 2)).size());

        List<String> exports = out.lines().filter(l -> l.contains("io.cordon.sample.api.DocumentStore")).toList();
        assertEquals("list and read, for each of the 3 renderers:\n" + out, 6, exports.size());
        assertTrue(exports.toString(), exports.stream().allMatch(l -> l.endsWith("list()") || l.endsWith("read(java.lang.String)")));

        assertTrue(out, out.matches("(?s).*the plugin failed: renderer \\d+ \\(plugin\\) is gone \\(bad-message\\).*"));
        assertTrue("one AUDIT line naming the forged call:\n" + result, result.stderr().lines()
                .filter(l -> l.contains("AUDIT") && l.contains("delete(java.lang.String)") && l.contains("not allowed")).count() == 1);
        List<String> rows = out.lines().filter(l -> l.matches("\\d+\\s+(plugin|markdown)\\s+.*")).toList();
        assertTrue("the plugin is not running (nor restarted: bad messages are not): " + rows,
                rows.stream().noneMatch(l -> l.matches("\\d+\\s+plugin\\s+\\d+\\s+READY.*")));
        assertEquals(rows.toString(), 2, rows.stream().filter(l -> l.matches("\\d+\\s+markdown\\s+\\d+\\s+READY.*")).count());
        assertTrue("cordon:spawn plugin brought a new plugin renderer up:\n" + out,
                out.lines().anyMatch(l -> l.matches("renderer \\d+ \\(plugin\\) READY, pid \\d+")));
        assertTrue(out, out.contains("wrote notes \"Notes\""));
    }
}
