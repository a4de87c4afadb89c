package io.cordon.main.socket;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.osgi.service.log.Logger;

/**
 * Accepts connections on the transport's listeners. Each one greets on its own thread, at most
 * {@code max.peers} at once: one more is closed at once, with a WARN line a second at most saying how
 * many, so a flood of connections costs neither threads nor log.
 */
final class Acceptor {

    private final Semaphore greetings;
    private final int max;
    private final Consumer<Link> greet;
    private final Logger log;
    private final AtomicLong busyRefusals = new AtomicLong();
    private final AtomicLong lastBusyLog = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(2));

    /** @param greet authenticates one connection and admits the peer, or closes it */
    Acceptor(int max, Consumer<Link> greet, Logger log) {
        this.max = Math.max(1, max);
        this.greetings = new Semaphore(this.max);
        this.greet = greet;
        this.log = log;
    }

    /** Accepts on {@code listener} on a thread of its own until it is closed. */
    void start(Link.Listener listener) {
        Thread thread = new Thread(() -> {
            while (true) {
                Link link;
                try {
                    link = listener.accept();
                } catch (IOException e) {
                    return; // closed
                }
                if (greetings.tryAcquire()) {
                    daemon("cordon-socket-greeting", () -> {
                        try {
                            greet.accept(link);
                        } finally {
                            greetings.release();
                        }
                    });
                } else {
                    link.close();
                    refusedBusy(link);
                }
            }
        }, "cordon-socket-accept " + listener.address());
        thread.setDaemon(true);
        thread.start();
    }

    private void refusedBusy(Link link) {
        busyRefusals.incrementAndGet();
        long now = System.nanoTime();
        long last = lastBusyLog.get();
        if (now - last > TimeUnit.SECONDS.toNanos(1) && lastBusyLog.compareAndSet(last, now)) {
            log.warn("socket transport: refused {} and {} more: {} connections are greeting already (max.peers)", link.remote(),
                    busyRefusals.getAndSet(0) - 1, max);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }
}
