package io.cordon.common.channel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Which thread reads a channel. The reader may serve a message itself ({@link #runHere}) instead of waking
 * another thread, which on an idle core costs more than a small call; should that take longer than
 * {@value #TAKE_OVER_MICROS} µs, a watchdog hands reading to a new thread, so a slow handler never stalls
 * the channel for longer. The thread that lost the role finishes its task and stops reading.
 *
 * <p>The watchdog is this channel's own thread, started with the first task served here; it looks every
 * {@value #TICK_MICROS} µs while tasks come, and parks once none has come for {@value #WATCH_MS} ms, so an
 * idle channel costs no CPU.
 */
final class ReaderRelay {

    static final long TAKE_OVER_MICROS = 1000;
    static final long TICK_MICROS = 500;
    static final long WATCH_MS = 100;

    /** One task served on the reader thread; {@code open} is taken once, by its end or by the watchdog. */
    private static final class Served {
        final long since = System.nanoTime();
        final AtomicBoolean open = new AtomicBoolean(true);
    }

    private final String name;
    private final Runnable continueReading;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Thread reader;
    private volatile Served serving;
    /** Tasks served here so far; written by the reader only, read by the watchdog to see activity. */
    private volatile long served;
    private volatile boolean watchdogParked;
    private volatile Thread watchdog;
    private int relays;

    /** @param continueReading what a thread that takes over reading runs */
    ReaderRelay(String name, Runnable continueReading) {
        this.name = name;
        this.continueReading = continueReading;
    }

    /** The calling thread reads the channel from now on. */
    void claim() {
        reader = Thread.currentThread();
    }

    boolean isReader() {
        return reader == Thread.currentThread();
    }

    /**
     * Runs {@code task} on the calling thread if it is the reader, handing reading to another thread should
     * the task take long; false, doing nothing, if the caller is not the reader or reading has ended.
     */
    boolean runHere(Runnable task) {
        if (!isReader() || ended.getCount() == 0) {
            return false;
        }
        Served s = new Served();
        serving = s;
        served++;
        watch();
        try {
            task.run();
        } finally {
            if (s.open.compareAndSet(true, false)) {
                serving = null;
            } else {
                awaitSuccessor();
            }
        }
        return true;
    }

    /**
     * The watchdog took this task over and names the new reader a moment after: until it has, this thread
     * would still look like the reader to itself and read on beside its successor.
     */
    private void awaitSuccessor() {
        while (isReader()) {
            Thread.yield();
        }
    }

    private void watch() {
        Thread w = watchdog;
        if (w == null) {
            w = new Thread(this::watchLoop, "cordon-" + name.replace(' ', '-') + "-relay");
            w.setDaemon(true);
            watchdog = w;
            w.start();
        } else if (watchdogParked) {
            LockSupport.unpark(w);
        }
    }

    private void watchLoop() {
        long lastSeen = served;
        long lastActive = System.nanoTime();
        while (ended.getCount() > 0) {
            Served s = serving;
            long now = System.nanoTime();
            if (s != null || served != lastSeen) {
                lastSeen = served;
                lastActive = now;
                if (s != null && now - s.since > TimeUnit.MICROSECONDS.toNanos(TAKE_OVER_MICROS) && s.open.compareAndSet(true, false)) {
                    takeOver();
                }
            } else if (now - lastActive > TimeUnit.MILLISECONDS.toNanos(WATCH_MS)) {
                watchdogParked = true;
                // Checked again after announcing the park: runHere unparks only a watchdog it sees parked.
                if (serving == null && served == lastSeen && ended.getCount() > 0) {
                    LockSupport.park(this);
                }
                watchdogParked = false;
                lastActive = System.nanoTime();
                continue;
            }
            LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(TICK_MICROS));
        }
    }

    /** The reader is busy with a slow task: a new thread reads on from where it stopped. */
    private void takeOver() {
        serving = null;
        Thread next = new Thread(continueReading, "cordon-" + name.replace(' ', '-') + "-reader-" + ++relays);
        next.setDaemon(true);
        reader = next;
        next.start();
    }

    /** Reading has ended for good (on whichever thread read last). */
    void end() {
        ended.countDown();
        Thread w = watchdog;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Waits until reading has ended, for the thread that started reading but lost the role. */
    void awaitEnd() {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
