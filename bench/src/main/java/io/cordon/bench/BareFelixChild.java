package io.cordon.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.cordon.bench.baseline.BareFelixBoot;

/**
 * One baseline child JVM: bare Felix + SCR, launched the way renderers are, timed from
 * {@link ProcessBuilder#start()} to its {@value BareFelixBoot#READY} line. Closing it closes the
 * child's stdin, which ends it, and waits for it to exit.
 */
final class BareFelixChild implements AutoCloseable {

    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long EXIT_TIMEOUT_MS = 10_000;

    private final Process process;
    private final long readyNanos;

    private BareFelixChild(Process process, long readyNanos) {
        this.process = process;
        this.readyNanos = readyNanos;
    }

    /** Starts a child with its storage in {@code dir}; returns once it printed READY. */
    static BareFelixChild start(JvmCommand jvm, BaselineFiles files, Path dir, ScheduledExecutorService timer)
            throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        List<String> args = new ArrayList<>();
        args.add(dir.resolve("cache").toString());
        files.bundles().forEach(b -> args.add(b.toString()));
        ProcessBuilder builder = new ProcessBuilder(jvm.launch(dir.resolve("tmp"), files.classPath(), BareFelixBoot.class.getName(), args))
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long start = System.nanoTime();
        Process process = builder.start();
        // A hung child would block readLine forever; killing it turns that into end of stream.
        ScheduledFuture<?> watchdog = timer.schedule(process::destroyForcibly, READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        long took = System.nanoTime() - start;
        watchdog.cancel(false);
        if (!BareFelixBoot.READY.equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the bare Felix child did not start (" + (line == null ? "no output within " + READY_TIMEOUT_MS + " ms" : line)
                    + "); command: " + String.join(" ", builder.command()));
        }
        return new BareFelixChild(process, took);
    }

    long readyNanos() {
        return readyNanos;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
