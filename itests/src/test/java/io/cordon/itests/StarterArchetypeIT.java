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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.Test;

/**
 * README's "Start your own application", run as written: its three commands (archetype:generate,
 * the generated project's build with its Pax Exam test through the project's own Maven wrapper, the
 * assembled bin/cordon), offline, against a repository the build staged under target/ with Cordon's
 * BOM, archetype and distribution (the rest comes read-only from the build's own local repository).
 * The renderer's whitelisted call, through its preload's bridge, must succeed and the other be
 * refused. Then the newcomer's mistakes, made in that application, must each be named with its fix.
 */
public class StarterArchetypeIT {

    private static final String SECTION = "## Start your own application";
    private static final long MAVEN_TIMEOUT_S = 600;
    private static final long RUN_TIMEOUT_S = 120;
    private static final Pattern CD = Pattern.compile("^cd (\\S+) && ");

    private record Output(String stdout, String stderr) {
    }

    private static Path work;
    /** Where the next README line runs: the work folder, then wherever a line's leading cd went, as in the user's shell. */
    private static Path here;
    private static List<String> commands;

    /** The first two commands: generate the project and build it (its own Pax Exam test included). */
    @BeforeClass
    public static void generateAndBuild() throws Exception {
        commands = readmeCommands();
        assertEquals("README's " + SECTION + " block: " + commands, 3, commands.size());
        work = Dist.tempDir("starter");
        here = work;
        run(commands.get(0), MAVEN_TIMEOUT_S, "");
        assertTrue("the generated Maven wrapper is not executable", Files.isExecutable(work.resolve("hello/mvnw")));
        run(commands.get(1), MAVEN_TIMEOUT_S, "");
    }

    @Test
    public void theApplicationRunsAndItsRendererIsRefusedWhatItsWhitelistDoesNotAllow() throws Exception {
        String out = run(commands.get(2), RUN_TIMEOUT_S, "app:show Ada\n", "renderer 1 (page) READY").stdout();
        assertTrue(out, out.contains("Hello, Ada!"));
        assertTrue(out, out.contains("setGreeting: refused (com.example.hello.api.Greeter.setGreeting is not exported to this side"));
    }

    @Test
    public void aNewcomersMistakesAreEachNamedWithTheirFix() throws Exception {
        Path deploy = Dist.copyDeploy(work.resolve("hello/app/target/hello/deploy"), work.resolve("mistakes/deploy"));
        TestJars.jarWithoutBndManifest(deploy.resolve("plain.jar"));
        TestJars.text(deploy.resolve("io.cordon.renderer.type-typo.cfg"),
                "preload=renderer/typo-preload\nwhitelist=com.example.hello.apii.Greeter\nsandbox=off\n");
        run(commands.get(2) + " --deploy " + deploy + " --data " + work.resolve("mistakes/data"), RUN_TIMEOUT_S, "",
                "plain.jar is not a valid bundle: its manifest has no OSGi headers (no Bundle-SymbolicName); "
                        + "likely built with bnd-maven-plugin but packed by maven-jar-plugin",
                "renderer type typo: preload folder renderer/typo-preload",
                "renderer type typo: its whitelist names com.example.hello.apii.Greeter, but no bundle in main "
                        + "exports package com.example.hello.apii");
    }

    /** Waits until the log holds every one of {@code lines} (scripted commands run when start-up settles, not when a renderer is READY). */
    private static void awaitLog(Process process, Path log, long timeoutS, String... lines) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!Arrays.stream(lines).allMatch(Files.readString(log, StandardCharsets.UTF_8)::contains)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                fail("expected in the log: " + Arrays.toString(lines) + "\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(100);
        }
    }

    /** The shell lines of the first {@code sh} block after README's section heading, comments dropped. */
    private static List<String> readmeCommands() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(System.getProperty("cordon.readme")), StandardCharsets.UTF_8);
        int at = lines.indexOf(SECTION);
        assertTrue("README has no line '" + SECTION + "'", at >= 0);
        while (!lines.get(at).equals("```sh")) {
            at++;
        }
        List<String> found = new ArrayList<>();
        for (String line : lines.subList(at + 1, lines.size())) {
            if (line.equals("```")) {
                break;
            }
            String command = line.replaceFirst("\\s+#.*$", "").strip();
            if (!command.isEmpty()) {
                found.add(command);
            }
        }
        return found;
    }

    /**
     * One README line through {@code sh} in {@link #here}, as a user types it: {@code mvn} is the Maven
     * running this build, {@code ./mvnw} the generated project's wrapper (its Maven from ~/.m2/wrapper,
     * where this build's own ./mvnw put it, else from Central); MAVEN_ARGS makes every Maven offline on
     * the staged repository. {@code stdin} is written once every one of {@code awaitInLog} is on stderr
     * (none: at once), then closed. Fails unless it exits 0 within {@code timeoutS}; a leading
     * {@code cd DIR &&} then moves {@link #here} to DIR.
     */
    private static Output run(String command, long timeoutS, String stdin, String... awaitInLog) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "command-", ".out");
        Path err = Files.createTempFile(work, "command-", ".err");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(here.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
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
        try {
            awaitLog(process, err, timeoutS, awaitInLog);
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(timeoutS, TimeUnit.SECONDS)) {
                fail("'" + command + "' did not finish within " + timeoutS + " s; its output is in " + out + " and " + err);
            }
            Output output = new Output(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            assertEquals("'" + command + "' failed:\n" + output.stdout() + output.stderr(), 0, process.exitValue());
            Matcher cd = CD.matcher(command);
            if (cd.find()) {
                here = here.resolve(cd.group(1));
            }
            return output;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
