package io.cordon.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class LauncherArgumentsTest {

    @Test
    public void splitsAtTopLevelSemicolonsAndNewlines() {
        assertEquals(List.of("lb", "cordon:version"), CommandSplitter.split("lb; cordon:version\n"));
        assertEquals(List.of("echo 'a;b'", "each [1 2] { echo $it; echo x }"),
                CommandSplitter.split("echo 'a;b'; each [1 2] { echo $it; echo x }"));
        assertEquals(List.of("echo a\\;b"), CommandSplitter.split("echo a\\;b"));
    }

    @Test
    public void skipsBlankLinesAndComments() {
        assertEquals(List.of("lb"), CommandSplitter.split("\n  # a comment\nlb\n\n"));
    }

    @Test
    public void parsesOptions() {
        LaunchOptions o = LaunchOptions.parse("--home", "/opt/cordon", "--dev", "-c", "lb", "-Dfoo=bar", "-D", "x=y", "--log-level", "WARN");
        assertEquals(Path.of("/opt/cordon"), o.home);
        assertEquals("dev", o.mode);
        assertEquals("lb", o.commands);
        assertEquals("warn", o.logLevel);
        assertEquals(Map.of("foo", "bar", "x", "y"), o.properties);
    }

    @Test
    public void refusesUnknownOptionsAndMissingValues() {
        assertTrue(assertThrows(LaunchOptions.UsageException.class, () -> LaunchOptions.parse("--bogus")).getMessage().contains("--bogus"));
        assertTrue(assertThrows(LaunchOptions.UsageException.class, () -> LaunchOptions.parse("-c")).getMessage().contains("-c"));
        assertThrows(LaunchOptions.UsageException.class, () -> LaunchOptions.parse("--log-level", "loud"));
        assertThrows(LaunchOptions.UsageException.class, () -> LaunchOptions.parse("-D", "novalue"));
    }

    @Test
    public void expandsVariables() {
        Map<String, String> config = new HashMap<>(Map.of("cordon.home", "/opt/c", "cordon.data", "${cordon.home}/data",
                "x", "${cordon.data}/y", "loop", "${loop}"));
        LauncherConfig.resolveVariables(config);
        assertEquals("/opt/c/data/y", config.get("x"));
        assertEquals("${loop}", config.get("loop"));
    }
}
