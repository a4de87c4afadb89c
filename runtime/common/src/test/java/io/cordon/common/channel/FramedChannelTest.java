package io.cordon.common.channel;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

/**
 * The one channel both sides run: sending never blocks the caller, a peer that stops reading is seen
 * as a stall, the queue is bounded in bytes, large messages interleave with small ones, and whatever a
 * handler throws reaches the owner instead of killing the reader silently.
 */
public class FramedChannelTest {

    private static final int MAX_FRAME = 256;

    /** What the reader loop told its owner. */
    private static final class Outcome implements FramedChannel.Owner {
        final AtomicReference<String> violation = new AtomicReference<>();
        final AtomicReference<Error> error = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void violation(String what) {
            violation.set(what);
            done.countDown();
        }

        @Override
        public void ended(IOException cause) {
            done.countDown();
        }

        @Override
        public void error(Error e) {
            error.set(e);
            done.countDown();
        }
    }

    private static FramedChannel channel(InputStream in, OutputStream out, long maxQueued, Outcome owner) {
        return new FramedChannel("peer", in, out, new FramedChannel.Limits(MAX_FRAME, 1 << 20, 2, maxQueued),
                ByteBudget.unlimited(), owner);
    }

    @Test
    public void concurrentChunkedAndSmallMessagesArriveWholeWithAtMostOneChunkedMessageOpen() throws Exception {
        PipedInputStream wireIn = new PipedInputStream(64 * 1024);
        PipedOutputStream wireOut = new PipedOutputStream(wireIn);
        Outcome senderOwner = new Outcome();
        FramedChannel sender = channel(new PipedInputStream(), wireOut, 64 << 20, senderOwner);
        Outcome receiverOwner = new Outcome();
        // The receiver allows only 2 open chunked messages: the sender must never have more than one open.
        FramedChannel receiver = channel(wireIn, OutputStream.nullOutputStream(), 1 << 20, receiverOwner);
        Map<Integer, byte[]> received = new ConcurrentHashMap<>();
        int writers = 8;
        int perWriter = 40;
        CountDownLatch all = new CountDownLatch(writers * perWriter);
        receiver.handle(FrameType.RSA_CALL, m -> {
            received.put(m.stream(), m.payload());
            all.countDown();
        });
        Thread reader = new Thread(() -> receiver.readLoop(m -> { }));
        reader.start();
        Map<Integer, byte[]> sent = new ConcurrentHashMap<>();
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads[w] = new Thread(() -> {
                Random random = new Random(writer);
                for (int m = 0; m < perWriter; m++) {
                    byte[] message = new byte[random.nextInt(6 * MAX_FRAME)];
                    random.nextBytes(message);
                    int stream = writer * 1000 + m;
                    sent.put(stream, message);
                    try {
                        sender.send(FrameType.RSA_CALL, stream, message);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            threads[w].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue("every message arrived: " + all.getCount() + " missing; receiver: " + receiverOwner.violation.get()
                + "; queued " + sender.queuedBytes(), all.await(30, TimeUnit.SECONDS));
        assertNull(receiverOwner.violation.get());
        sent.forEach((stream, message) -> assertArrayEquals("stream " + stream, message, received.get(stream)));
        sender.close();
        reader.join(10_000);
    }

    @Test
    public void controlMessagesKeepTheirOrderBehindALargeOneWhileRsaTrafficMayPassIt() throws Exception {
        PipedInputStream wireIn = new PipedInputStream(64 * 1024);
        FramedChannel sender = channel(new PipedInputStream(), new PipedOutputStream(wireIn), 64 << 20, new Outcome());
        java.util.List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CountDownLatch done = new CountDownLatch(3);
        FramedChannel receiver = channel(wireIn, OutputStream.nullOutputStream(), 1 << 20, new Outcome());
        for (byte type : new byte[] {FrameType.BUNDLE, FrameType.START, FrameType.RSA_RESULT}) {
            receiver.handle(type, m -> {
                order.add(FrameType.name(m.type()));
                done.countDown();
            });
        }
        // Queued before the reader runs, so the writer sees all three while the bundle is in progress.
        sender.send(FrameType.BUNDLE, 1, new byte[200 * MAX_FRAME]);
        sender.send(FrameType.START, 0, new byte[0]);
        sender.send(FrameType.RSA_RESULT, 5, new byte[8]);
        Thread reader = new Thread(() -> receiver.readLoop(m -> { }));
        reader.start();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals("START never overtakes the BUNDLE before it", order.indexOf("BUNDLE") + 1, order.indexOf("START"));
        sender.close();
        reader.join(10_000);
    }

    @Test
    public void aPeerThatStopsReadingNeverBlocksTheSenderAndShowsAsAStall() throws Exception {
        PipedInputStream neverRead = new PipedInputStream(1024);
        FramedChannel channel = channel(new PipedInputStream(), new PipedOutputStream(neverRead), 64 * 1024, new Outcome());
        byte[] message = new byte[4096];
        int accepted = 0;
        IOException full = null;
        for (int i = 0; i < 1000 && full == null; i++) {
            try {
                channel.send(FrameType.RSA_RESULT, i, message); // returns at once, or refuses at once
                accepted++;
            } catch (FramedChannel.ChannelFullException e) {
                full = e;
            }
        }
        assertTrue("the queue is bounded in bytes: accepted " + accepted, full != null && accepted <= 64 * 1024 / 4096 + 2);
        assertTrue(full.getMessage(), full.getMessage().contains("is not reading its channel"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (channel.stalledMs() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("the writer is seen blocked: " + channel.stalledMs() + " ms", channel.stalledMs() >= 50);
        channel.close();
    }

    @Test
    public void sendWhenRoomWaitsOnlyUntilItsTimeout() throws Exception {
        PipedInputStream neverRead = new PipedInputStream(1024);
        FramedChannel channel = channel(new PipedInputStream(), new PipedOutputStream(neverRead), 8 * 1024, new Outcome());
        assertThrows(FramedChannel.ChannelFullException.class, () -> {
            for (int i = 0; i < 100; i++) {
                channel.sendWhenRoom(FrameType.BUNDLE, i, new byte[4096], 200);
            }
        });
        channel.close();
        assertThrows(IOException.class, () -> channel.send(FrameType.PING, 0, new byte[0]));
    }

    @Test
    public void aHandlerThatThrowsIsAViolationAndAnErrorIsReportedAsSuch() throws Exception {
        assertEquals("handling RSA_CALL[stream=1, 3 bytes] failed: java.lang.NullPointerException: boom",
                run(new NullPointerException("boom")).violation.get());
        assertEquals("java.lang.OutOfMemoryError: heap", String.valueOf(run(new OutOfMemoryError("heap")).error.get()));
    }

    private static Outcome run(Throwable thrown) throws Exception {
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream toIn = new PipedOutputStream(in);
        new FrameWriter(toIn, MAX_FRAME).send(FrameType.RSA_CALL, 1, new byte[3]);
        Outcome owner = new Outcome();
        FramedChannel channel = channel(in, OutputStream.nullOutputStream(), 1024, owner);
        channel.handle(FrameType.RSA_CALL, m -> {
            if (thrown instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) thrown;
        });
        Thread reader = new Thread(() -> channel.readLoop(m -> { }));
        reader.start();
        assertTrue(owner.done.await(10, TimeUnit.SECONDS));
        toIn.close();
        reader.join(10_000);
        return owner;
    }

    @Test
    public void unfinishedMessagesAreChargedToTheBudget() throws Exception {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream toIn = new PipedOutputStream(in);
        FrameWriter writer = new FrameWriter(toIn, MAX_FRAME);
        byte[] chunk = new byte[MAX_FRAME - Frame.HEADER_BYTES];
        for (int i = 0; i < 5; i++) {
            writer.writeUnflushed(FrameType.RSA_CALL, Frame.MORE, 7, chunk, 0, chunk.length);
        }
        writer.flush();
        Outcome owner = new Outcome();
        FramedChannel channel = new FramedChannel("peer", in, OutputStream.nullOutputStream(),
                new FramedChannel.Limits(MAX_FRAME, 1 << 20, 2, 1024), new ByteBudget("its buffer budget (test)", 1000), owner);
        Thread reader = new Thread(() -> channel.readLoop(m -> { }));
        reader.start();
        assertTrue(owner.done.await(10, TimeUnit.SECONDS));
        assertTrue(owner.violation.get(), owner.violation.get().contains("exceeds its buffer budget (test)"));
        toIn.close();
        reader.join(10_000);
    }
}
