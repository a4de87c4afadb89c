package io.cordon.main.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.cordon.main.log.Untrusted;

/**
 * Relays a renderer's stderr (its log) into main's, bounded three ways: read in pieces of a fixed size,
 * every line cut at {@link #MAX_LINE} bytes before it is kept, and lines relayed at a bounded rate with
 * a "N lines dropped" summary. Text is neutralised ({@link Untrusted}). Runs on the renderer's own
 * stderr thread.
 */
final class StderrRelay {

    static final int MAX_LINE = 8192;
    private static final int READ_BYTES = 8192;

    private final InputStream in;
    private final LineRate rate;
    private final Consumer<String> log;
    private final Runnable outOfMemory;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private long cut;

    /**
     * @param log         takes one neutralised line (the caller adds the renderer's prefix)
     * @param outOfMemory called when a line says the JVM ran out of memory (even a dropped one)
     */
    StderrRelay(InputStream in, LineRate rate, Consumer<String> log, Runnable outOfMemory) {
        this.in = in;
        this.rate = rate;
        this.log = log;
        this.outOfMemory = outOfMemory;
    }

    /** Relays until the stream ends (the process exited). */
    void run() {
        byte[] buffer = new byte[READ_BYTES];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    accept(buffer[i]);
                }
            }
        } catch (IOException e) {
            // stderr closes when the process exits
        }
        if (line.size() > 0 || cut > 0) {
            endLine();
        }
        flushDropped();
    }

    private void accept(byte b) {
        if (b == '\n') {
            endLine();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        } else {
            cut++;
        }
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.contains("java.lang.OutOfMemoryError")) {
            outOfMemory.run();
        }
        if (cut > 0) {
            text += " …(" + cut + " more bytes cut)";
        }
        line.reset();
        cut = 0;
        if (rate.tryAcquire()) {
            flushDropped();
            log.accept(Untrusted.text(text, MAX_LINE + 64));
        }
    }

    /** Logs how many lines the rate limit dropped since the last summary, if any. */
    void flushDropped() {
        long dropped = rate.takeDropped();
        if (dropped > 0) {
            log.accept("(" + dropped + " lines dropped: more than " + rate.perSecond() + " lines/s)");
        }
    }

    /** A token bucket of lines per second (bursts of one second), counting what it refuses; thread-safe. */
    static final class LineRate {
        private final int perSecond;
        private double tokens;
        private long last = System.nanoTime();
        private long dropped;

        LineRate(int perSecond) {
            this.perSecond = Math.max(1, perSecond);
            this.tokens = this.perSecond;
        }

        synchronized boolean tryAcquire() {
            long now = System.nanoTime();
            tokens = Math.min(perSecond, tokens + (now - last) * perSecond / 1e9);
            last = now;
            if (tokens < 1) {
                dropped++;
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized long takeDropped() {
            long d = dropped;
            dropped = 0;
            return d;
        }

        int perSecond() {
            return perSecond;
        }
    }
}
