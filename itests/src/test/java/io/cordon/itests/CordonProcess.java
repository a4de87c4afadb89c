package io.cordon.itests;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/cordon} of the distribution with private data and deploy folders, feeds it
 * stdin, and records its exit code, output and every process it started while it ran.
 */
final class CordonProcess {

    private static final long TIMEOUT_S = 60;
    private static final long SAMPLE_MS = 20;

    /** What one run left behind. {@code children} are all descendants seen while it was alive; {@code data} its data folder. */
    record Result(long pid, int exitCode, String stdout, String stderr, List<ProcessHandle> children, Path data) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private CordonProcess() {
    }

    /** A run with an empty deploy folder: main alone, no renderer types. */
    static Result run(String stdin, String... args) throws IOException, InterruptedException {
        Path work = Dist.tempDir("launcher");
        return run(work, Dist.mkdirs(work.resolve("deploy")), stdin, args);
    }

    /** A run with a copy of the distribution's deploy folder: the sample application, as a user first sees it. */
    static Result runSample(String stdin, String... args) throws IOException, InterruptedException {
        Path work = Dist.tempDir("sample");
        return run(work, Dist.copyDeploy(work.resolve("deploy")), stdin, args);
    }

    /** {@link #runSample} with {@code env} added to the launcher's environment. */
    static Result runSample(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        Path work = Dist.tempDir("sample");
        return run(work, Dist.copyDeploy(work.resolve("deploy")), env, stdin, args);
    }

    /** Another run with the data and deploy folders of {@code previous}, and {@code javaOptions} in CORDON_JAVA_OPTS. */
    static Result runAgain(Result previous, String javaOptions, String stdin) throws IOException, InterruptedException {
        Path work = previous.data().getParent();
        return run(work, work.resolve("deploy"), Map.of("CORDON_JAVA_OPTS", javaOptions), stdin);
    }

    private static Result run(Path work, Path deploy, String stdin, String... args) throws IOException, InterruptedException {
        return run(work, deploy, Map.of(), stdin, args);
    }

    private static Result run(Path work, Path deploy, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Dist.home().resolve("bin/cordon").toString(),
                "--data", work.resolve("data").toString(), "--deploy", deploy.toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        Set<ProcessHandle> children = ConcurrentHashMap.newKeySet();
        try {
            feed(process, stdin);
            awaitExit(process, children);
            return new Result(process.pid(), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), List.copyOf(children), work.resolve("data"));
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static void feed(Process process, String stdin) throws IOException {
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Waits for the exit while sampling the descendants, so even a short-lived child is seen. */
    private static void awaitExit(Process process, Set<ProcessHandle> children) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!process.waitFor(SAMPLE_MS, TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(children::add);
            if (System.nanoTime() - deadline > 0) {
                fail("bin/cordon did not exit within " + TIMEOUT_S + " s");
            }
        }
    }
}
