package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * README's "Start your own application", run as written: its three commands (archetype:generate,
 * the generated project's build with its Pax Exam test, the assembled bin/cordon), offline, against
 * a repository the build staged under target/ with Cordon's BOM, archetype and distribution (the rest
 * comes read-only from the build's own local repository). The renderer's whitelisted call must
 * succeed and the other be refused.
 */
public class StarterArchetypeIT {

    private static final String SECTION = "## Start your own application";
    private static final long MAVEN_TIMEOUT_S = 600;
    private static final long RUN_TIMEOUT_S = 120;

    @Test
    public void readmesThreeCommandsGenerateBuildAndRunAnApplication() throws Exception {
        List<String> commands = readmeCommands();
        assertEquals("README's " + SECTION + " block: " + commands, 3, commands.size());
        Path work = Dist.tempDir("starter");

        run(work, commands.get(0), "", MAVEN_TIMEOUT_S);
        run(work, commands.get(1), "", MAVEN_TIMEOUT_S);
        String out = run(work, commands.get(2), "app:show Ada\n", RUN_TIMEOUT_S);

        assertTrue(out, out.contains("Hello, Ada!"));
        assertTrue(out, out.contains("setGreeting: refused (com.example.hello.api.Greeter.setGreeting is not exported to this side"));
    }

    /** The shell lines of the first {@code sh} block after README's section heading, comments dropped. */
    private static List<String> readmeCommands() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("cordon.readme")), StandardCharsets.UTF_8);
        int at = lines.indexOf(SECTION);
        assertTrue("README has no line '" + SECTION + "'", at >= 0);
        while (!lines.get(at).equals("```sh")) {
            at++;
        }
        List<String> commands = new ArrayList<>();
        for (String line : lines.subList(at + 1, lines.size())) {
            if (line.equals("```")) {
                break;
            }
            String command = line.replaceFirst("\\s+#.*$", "").strip();
            if (!command.isEmpty()) {
                commands.add(command);
            }
        }
        return commands;
    }

    /**
     * One README line through {@code sh}, as a user types it: {@code mvn} is the Maven running this build;
     * MAVEN_ARGS makes every Maven offline on the staged repository; stdout is returned.
     */
    private static String run(Path dir, String command, String stdin, long timeoutS) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "command-", ".log");
        Path out = Files.createTempFile(dir, "command-", ".out");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", Path.of(System.getProperty("maven.home"), "bin") + ":" + env.get("PATH"));
        env.put("MAVEN_ARGS", String.join(" ", "-B", "-o", "-ntp",
                "-Dmaven.repo.local=" + System.getProperty("starter.repo"),
                "-Dmaven.repo.local.tail=" + System.getProperty("starter.repo.tail"),
                // Pax Exam's own bundles (mvn: URLs) from the build's local repository, Central only
                "-Dorg.ops4j.pax.url.mvn.localRepository=" + System.getProperty("starter.repo.tail"),
                "-Dorg.ops4j.pax.url.mvn.repositories=https://repo1.maven.org/maven2@id=central",
                "-Dorg.ops4j.pax.url.mvn.useFallbackRepositories=false"));
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!process.waitFor(timeoutS, TimeUnit.SECONDS)) {
                fail("'" + command + "' did not finish within " + timeoutS + " s; its output is in " + log);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals("'" + command + "' failed:\n" + stdout + Files.readString(log, StandardCharsets.UTF_8), 0, process.exitValue());
            return stdout;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
