package io.cordon.common.channel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A message served on the reader thread: a slow one never stalls the channel (another thread reads on),
 * and however often reading changes hands, exactly one thread reads at a time, so every message is
 * dispatched once, in order.
 */
public class ReaderRelayTest {

    private static final byte SLOW = FrameType.RSA_CALL;
    private static final byte FAST = FrameType.RSA_RESULT;

    private OutputStream wire;
    private FramedChannel sender;
    private FramedChannel receiver;
    private Thread reading;
    private final CountDownLatch readingEnded = new CountDownLatch(1);

    @Before
    public void open() throws IOException {
        // java.nio's pipe, not PipedInputStream, which fails once a thread that read from it has ended
        Pipe pipe = Pipe.open();
        InputStream in = Channels.newInputStream(pipe.source());
        wire = Channels.newOutputStream(pipe.sink());
        FramedChannel.Owner quiet = new StrictOwner();
        FramedChannel.Limits limits = new FramedChannel.Limits(256, 1 << 20, 4, 64 << 20);
        sender = new FramedChannel("receiver", InputStream.nullInputStream(), wire, limits, ByteBudget.unlimited(), quiet);
        receiver = new FramedChannel("sender", in, OutputStream.nullOutputStream(), limits, ByteBudget.unlimited(), quiet);
    }

    private void startReading() {
        reading = new Thread(() -> {
            receiver.readLoop(m -> { });
            readingEnded.countDown();
        }, "test-reader");
        reading.start();
    }

    @After
    public void close() throws Exception {
        sender.close();
        assertTrue("readLoop returns once reading ended, whichever thread read last", readingEnded.await(10, TimeUnit.SECONDS));
    }

    @Test
    public void aSlowMessageServedOnTheReaderDoesNotStallTheOthers() throws Exception {
        CountDownLatch slowRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch fastSeen = new CountDownLatch(1);
        Set<String> servedOn = ConcurrentHashMap.newKeySet();
        receiver.handle(SLOW, m -> assertTrue(receiver.runOnReader(() -> {
            servedOn.add(Thread.currentThread().getName());
            slowRuns.countDown();
            await(release);
        })));
        receiver.handle(FAST, m -> fastSeen.countDown());
        startReading();
        sender.send(SLOW, 1, new byte[0]);
        assertTrue(slowRuns.await(10, TimeUnit.SECONDS));
        sender.send(FAST, 2, new byte[0]);
        assertTrue("the fast message is handled while the slow one still runs", fastSeen.await(10, TimeUnit.SECONDS));
        assertEquals("served on the thread that read it", Set.of("test-reader"), servedOn);
        assertFalse("another thread reads now", receiver.runOnReader(() -> { }));
        release.countDown();
    }

    @Test
    public void whileMoreIsWaitingTheReaderReadsOnInsteadOfServing() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        List<Boolean> servedHere = Collections.synchronizedList(new ArrayList<>());
        receiver.handle(SLOW, m -> {
            servedHere.add(receiver.runOnReader(() -> { }));
            both.countDown();
        });
        sender.send(SLOW, 1, new byte[0]);
        sender.send(SLOW, 2, new byte[0]);
        Thread.sleep(100); // both are in the pipe before reading starts
        startReading();
        assertTrue(both.await(10, TimeUnit.SECONDS));
        assertEquals("the first waits for the second; the second has nothing behind it", List.of(false, true), servedHere);
    }

    @Test
    public void readingChangesHandsManyTimesYetEveryMessageIsDispatchedOnceInOrder() throws Exception {
        int messages = 2000;
        List<Integer> dispatched = Collections.synchronizedList(new ArrayList<>());
        Set<String> readers = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(messages);
        receiver.handle(SLOW, m -> {
            dispatched.add(m.stream());
            readers.add(Thread.currentThread().getName());
            Runnable task = () -> {
                if (m.stream() % 10 == 0) {
                    // About as long as the watchdog lets a reader be busy: it hands reading over, often
                    // just as the task ends (the race this test is about).
                    spin(ReaderRelay.TAKE_OVER_MICROS * (m.stream() % 7 + 6) / 8);
                }
                all.countDown();
            };
            if (!receiver.runOnReader(task)) {
                task.run(); // more was waiting: where a real handler hands the task to another thread
            }
        });
        startReading();
        for (int i = 1; i <= messages; i++) {
            sender.send(SLOW, i, new byte[] {(byte) i});
            LockSupport.parkNanos(50_000); // mostly one message at a time, so that the reader serves it itself
        }
        assertTrue(all.await(60, TimeUnit.SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= messages; i++) {
            expected.add(i);
        }
        assertEquals(expected, dispatched);
        assertTrue("reading changed hands: " + readers, readers.size() > 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void spin(long micros) {
        long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
