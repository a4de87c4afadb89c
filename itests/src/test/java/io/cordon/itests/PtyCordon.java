package io.cordon.itests;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code bin/cordon} in a pseudo-terminal, typed at as a person would: python3's pty module
 * ({@code pty-relay.py}) gives it a 120x40 xterm; this side writes keys and reads the screen's bytes.
 * Waits are for text to appear; their deadline only stops a broken build from hanging.
 */
final class PtyCordon implements AutoCloseable {

    /** Terminal control sequences (colours, cursor moves, modes), removed before matching. */
    private static final Pattern CONTROL = Pattern.compile("\u001b(\\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-B]|[=>]|\\][^\u0007]*\u0007)|\r");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Process process;
    private final OutputStream keys;
    private final StringBuilder screen = new StringBuilder();
    private final List<ProcessHandle> children = new ArrayList<>();
    private final Path data;
    private final Path deploy;
    private int mark;

    PtyCordon(Path work, Path deploy) throws IOException {
        this.data = work.resolve("data");
        this.deploy = deploy;
        Path relay = work.resolve("pty-relay.py");
        try (InputStream in = PtyCordon.class.getResourceAsStream("/pty-relay.py")) {
            Files.copy(in, relay);
        }
        process = new ProcessBuilder("python3", relay.toString(), Dist.home().resolve("bin/cordon").toString(),
                "--data", data.toString(), "--deploy", deploy.toString())
                .redirectErrorStream(true).start();
        keys = process.getOutputStream();
        Thread reader = new Thread(this::read, "pty-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (screen) {
                    screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    screen.notifyAll();
                }
            }
        } catch (IOException e) {
            // the relay is gone
        }
    }

    Path data() {
        return data;
    }

    Path deploy() {
        return deploy;
    }

    /** Types keys (escape sequences included) and marks the screen: later waits look only at what follows. */
    PtyCordon type(String text) {
        synchronized (screen) {
            mark = screen.length();
        }
        try {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot type into the terminal:\n" + text(), e);
        }
        return this;
    }

    /** Waits until the text since the last {@link #type} (control sequences removed) matches; returns that text. */
    String await(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex, Pattern.DOTALL);
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (screen) {
            while (true) {
                process.descendants().forEach(children::add);
                String text = plain(screen.substring(mark));
                Matcher m = pattern.matcher(text);
                if (m.find()) {
                    return text;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no /" + regex + "/ on the terminal within " + WAIT + "; it shows since the last keys:\n" + text
                            + "\n--- whole session ---\n" + text());
                }
                screen.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    /** The whole session so far, control sequences removed. */
    String text() {
        synchronized (screen) {
            return plain(screen.toString());
        }
    }

    static String plain(String raw) {
        return CONTROL.matcher(raw).replaceAll("");
    }

    /** Waits for bin/cordon (and so the relay) to exit; returns its status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            fail("bin/cordon did not exit within " + WAIT + ":\n" + text());
        }
        return process.exitValue();
    }

    /** Every process bin/cordon started, as seen while waiting. */
    List<ProcessHandle> children() {
        return List.copyOf(children);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
