package io.cordon.main.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.cordon.api.RendererType;

/**
 * When start-up has settled: every renderer type file of the deploy folder has become a type (FileInstall and
 * ConfigAdmin take their time under load), or a long quiet period passed (a file that is not a valid type); no
 * type has changed for a short quiet period; no renderer is STARTING. Checked on the supervisor's thread
 * ({@link SupervisorThread}) until it completes.
 */
final class StartupSettling {

    /** How long start-up waits for deploy/'s type files to become types before it settles anyway. */
    private static final long GIVE_UP_MS = 10_000;
    private static final long CHECK_MS = 100;

    private final RendererRoster roster;
    private final Path deployDir;
    private final long quietMs;
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private final ScheduledFuture<?> check;
    /** When the supervisor started, then when a type last changed: settling waits for quiet after it. */
    private volatile long lastChangeNanos = System.nanoTime();

    StartupSettling(RendererRoster roster, Path deployDir, long quietMs, SupervisorThread thread) {
        this.roster = roster;
        this.deployDir = deployDir;
        this.quietMs = quietMs;
        this.check = thread.every(this::check, CHECK_MS, CHECK_MS);
    }

    /** A type was added or changed: quiet starts again. */
    void typeChanged() {
        lastChangeNanos = System.nanoTime();
    }

    CompletableFuture<Void> whenSettled() {
        return settled;
    }

    private void check() {
        long quiet = (System.nanoTime() - lastChangeNanos) / 1_000_000;
        boolean typesIn = roster.types.size() >= typeFiles() || quiet >= GIVE_UP_MS;
        if (!settled.isDone() && typesIn && quiet >= quietMs && !roster.anyStarting()) {
            settled.complete(null);
            check.cancel(false);
        }
    }

    private long typeFiles() {
        try (Stream<Path> files = Files.list(deployDir)) {
            return files.filter(f -> f.getFileName().toString().matches(Pattern.quote(RendererType.FACTORY_PID) + "-.+\\.cfg")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
