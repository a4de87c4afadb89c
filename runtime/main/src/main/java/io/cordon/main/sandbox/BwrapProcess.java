package io.cordon.main.sandbox;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * bubblewrap cannot exec in place: it stays as the parent (and a second bwrap is pid 1 of the new pid
 * namespace) of the program it runs. This process stands for the program: {@link #pid()} and
 * {@link #toHandle()} are the program's, so memory figures and {@code ProcessHandle} checks see the JVM;
 * killing kills the program and bwrap; it has exited once both have. Streams and the exit status are
 * bwrap's, which forwards the program's (128 + signal when it was killed).
 */
final class BwrapProcess extends Process {

    private static final long FIND_PROGRAM_MS = 10_000;

    private final Process bwrap;
    private final ProcessHandle program;

    private BwrapProcess(Process bwrap, ProcessHandle program) {
        this.bwrap = bwrap;
        this.program = program;
    }

    /** Waits until bwrap has exec'd the program (a descendant that is not bwrap itself); bwrap alone if it never does. */
    static Process wrap(Process bwrap) {
        Optional<String> bwrapExe = bwrap.info().command();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FIND_PROGRAM_MS);
        while (bwrap.isAlive() && System.nanoTime() < deadline) {
            Optional<ProcessHandle> program = bwrap.descendants()
                    .filter(p -> p.info().command().filter(c -> !c.equals(bwrapExe.orElse(""))).isPresent())
                    .findFirst();
            if (program.isPresent()) {
                return new BwrapProcess(bwrap, program.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return bwrap;
    }

    @Override
    public long pid() {
        return program.pid();
    }

    @Override
    public ProcessHandle toHandle() {
        return program;
    }

    @Override
    public OutputStream getOutputStream() {
        return bwrap.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return bwrap.getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return bwrap.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        int status = bwrap.waitFor();
        try {
            program.onExit().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return status;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!bwrap.waitFor(timeout, unit)) {
            return false;
        }
        try {
            program.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return bwrap.onExit().thenCombine(program.onExit(), (b, p) -> this);
    }

    @Override
    public int exitValue() {
        int status = bwrap.exitValue();
        if (program.isAlive()) {
            throw new IllegalThreadStateException("the sandboxed program " + program.pid() + " is still running");
        }
        return status;
    }

    @Override
    public boolean isAlive() {
        return bwrap.isAlive() || program.isAlive();
    }

    @Override
    public void destroy() {
        program.destroy();
    }

    @Override
    public Process destroyForcibly() {
        program.destroyForcibly();
        bwrap.destroyForcibly();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }
}
