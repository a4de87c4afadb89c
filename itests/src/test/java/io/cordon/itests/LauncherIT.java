package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;
import org.osgi.framework.Version;

/** bin/cordon as a script sees it: exit codes, stdout for results, stderr for the log, no leftovers. */
public class LauncherIT {

    private CordonProcess.Result result;

    @After
    public void nothingOutlivesTheLauncher() {
        if (result == null) {
            return;
        }
        try {
            assertFalse("launcher still alive", ProcessHandle.of(result.pid()).map(ProcessHandle::isAlive).orElse(false));
            for (ProcessHandle child : result.children()) {
                Poll.untilTrue("child process " + child.pid() + " gone after the launcher exited", () -> !child.isAlive());
            }
        } finally {
            result.children().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    public void scriptedStdinListsBundlesAndVersionAndShutdownEndsIt() throws Exception {
        result = CordonProcess.run("lb\ncordon:version\nshutdown\nnosuchcommand\n");
        assertEquals(result.toString(), 0, result.exitCode()); // the failing command after shutdown never ran
        for (Path jar : CordonOptions.bundleJars()) {
            assertTrue(jar.getFileName() + " not listed as Active:\n" + result,
                    result.stdout().lines().anyMatch(line -> isActiveLine(line, jar)));
        }
        for (String key : List.of("cordon ", "felix ", "java ")) {
            assertTrue("no line starting '" + key + "':\n" + result,
                    result.stdout().lines().anyMatch(line -> line.startsWith(key)));
        }
        assertTrue("no 'ready in' on stderr:\n" + result, result.stderr().contains("ready in"));
    }

    @Test
    public void aSecondRunMapsTheClassDataArchiveTheFirstWrote() throws Exception {
        result = CordonProcess.run("cordon:version\n");
        assertEquals(result.toString(), 0, result.exitCode());
        Path archive;
        try (var archives = Files.list(result.data().resolve("class-data"))) {
            List<Path> all = archives.filter(f -> f.getFileName().toString().matches("main-\\d+\\.jsa")).toList();
            assertEquals(result.toString(), 1, all.size());
            archive = all.get(0);
        }
        var written = Files.getLastModifiedTime(archive);
        Path classLoads = result.data().resolveSibling("class-load.txt");
        result = CordonProcess.runAgain(result, "-Xlog:class+load=info:file=" + classLoads, "cordon:version\n");
        assertEquals(result.toString(), 0, result.exitCode());
        assertEquals("mapped, not written again", written, Files.getLastModifiedTime(archive));
        assertTrue("Felix's classes come from the archive (the dynamic one, 'top')",
                Files.readString(classLoads).contains("org.apache.felix.framework.FrameworkFactory source: shared objects file (top)"));
        assertEquals("stdout carries the results only:\n" + result, 5, result.stdout().lines().count());
        assertFalse("the archive's messages stay quiet:\n" + result, result.stderr().contains("cds"));
    }

    @Test
    public void onJava24AndLaterFelixsUseOfUnsafeIsNotWarnedAboutAtEveryStart() throws Exception {
        Optional<Path> java = newerJava(24);
        Assume.assumeTrue("no Java 24 or later under /usr/lib/jvm (its warnings about sun.misc.Unsafe are what this checks)",
                java.isPresent());
        result = CordonProcess.runSample(Map.of("JAVA", java.get().toString()), "", "-c", "cordon:version");
        assertEquals(result.toString(), 0, result.exitCode());
        assertTrue("no 'ready in':\n" + result, result.stderr().contains("ready in"));
        assertFalse("main's or a renderer's JVM warned:\n" + result, result.stderr().contains("sun.misc.Unsafe"));
    }

    /** A java binary of feature version {@code atLeast} or later under /usr/lib/jvm, by its release file. */
    private static Optional<Path> newerJava(int atLeast) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && featureVersion(home) >= atLeast)
                    .map(home -> home.resolve("bin/java")).findFirst();
        }
    }

    private static int featureVersion(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream().filter(l -> l.startsWith("JAVA_VERSION=\""))
                    .map(l -> l.replaceAll("^JAVA_VERSION=\"(\\d+).*", "$1")).mapToInt(Integer::parseInt).findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Test
    public void failingCommandExitsOneAndNamesIt() throws Exception {
        result = CordonProcess.run("nosuchcommand\n");
        assertEquals(result.toString(), 1, result.exitCode());
        assertTrue("command not named on stderr:\n" + result, result.stderr().contains("nosuchcommand"));
    }

    @Test
    public void commandOptionRunsCommandsAndExits() throws Exception {
        result = CordonProcess.run("", "-c", "cordon:version; lb");
        assertEquals(result.toString(), 0, result.exitCode());
        assertTrue("no version lines:\n" + result, result.stdout().lines().anyMatch(line -> line.startsWith("cordon ")));
        assertTrue("no bundle list:\n" + result, result.stdout().contains("START LEVEL"));
    }

    @Test
    public void scriptedErrorsAreOneLineAndExitEndsTheScript() throws Exception {
        result = CordonProcess.run(String.join("\n", "cordon:renderes", "cordon:kill", "cordon:exec 1", "echo a]",
                "cordon:version", "exit", "lb", ""), "-D", "cordon.mode=DEV");
        assertEquals(result.toString(), 1, result.exitCode());
        for (String line : List.of("cordon: unknown command 'cordon:renderes'; did you mean cordon:renderers?",
                "cordon: usage: cordon:kill ID", "cordon: usage: cordon:exec ID COMMAND…",
                "cordon: syntax error in 'echo a]': unexpected token ']'")) {
            assertTrue("no line '" + line + "':\n" + result, result.stderr().lines().anyMatch(line::equals));
        }
        assertFalse("a stack trace:\n" + result, result.stderr().contains("\tat "));
        assertTrue("the mode, in any case, is read as dev:\n" + result, result.stdout().contains("mode    dev")
                && result.stderr().contains("dev mode)"));
        assertTrue("one version, Maven's spelling:\n" + result, result.stdout().lines()
                .anyMatch(l -> l.matches("cordon +\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?")));
        assertFalse("lb ran after exit:\n" + result, result.stdout().contains("START LEVEL"));
        assertEquals("stdout carries the results only:\n" + result, 5, result.stdout().lines().count());
        assertFalse("the run's temporary folder is removed at exit", Files.exists(result.data().resolve("tmp")));
    }

    @Test
    public void unknownOptionExitsTwo() throws Exception {
        result = CordonProcess.run("", "--bogus");
        assertEquals(result.toString(), 2, result.exitCode());
        assertTrue("option not named:\n" + result, result.stderr().contains("--bogus"));
    }

    @Test
    public void helpPrintsUsage() throws Exception {
        result = CordonProcess.run("", "--help");
        assertEquals(result.toString(), 0, result.exitCode());
        assertTrue("no usage:\n" + result, result.stdout().contains("Usage: cordon"));
    }

    /** An lb line {@code id|Active|level|Name (version)|version} for this jar's bundle. */
    private static boolean isActiveLine(String line, Path jar) {
        String[] columns = line.split("\\|");
        if (columns.length < 5 || !"Active".equals(columns[1].trim())) {
            return false;
        }
        Attributes manifest = manifest(jar);
        String name = manifest.getValue("Bundle-Name");
        String version = Version.parseVersion(manifest.getValue("Bundle-Version")).toString();
        return columns[3].startsWith(name == null ? manifest.getValue("Bundle-SymbolicName") : name)
                && version.equals(columns[4].trim());
    }

    private static Attributes manifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes();
        } catch (IOException e) {
            throw new AssertionError("cannot read the manifest of " + jar, e);
        }
    }
}
