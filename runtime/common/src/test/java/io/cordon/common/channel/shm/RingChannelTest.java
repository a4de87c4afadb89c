package io.cordon.common.channel.shm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.FramedChannel;
import io.cordon.common.channel.StrictOwner;
import io.cordon.common.channel.shm.SharedRings.Side;

/**
 * A channel over the rings, where senders write small messages into the ring themselves while the writer
 * is idle: messages from many threads arrive whole and each thread's in its order, beside large ones the
 * writer chunks, and a reader parked on its doorbell is still woken.
 */
public class RingChannelTest {

    private RingFixture rings;
    private FramedChannel main;
    private FramedChannel renderer;
    private Thread reading;

    private static final FramedChannel.Owner STRICT = new StrictOwner();

    @Before
    public void open() throws IOException {
        rings = new RingFixture();
        FramedChannel.Limits limits = new FramedChannel.Limits(RingFixture.MAX_FRAME, 1 << 20, 4, 64 << 20);
        main = new FramedChannel("renderer 1", rings.mainReader(), rings.mainWriter(30_000), limits, ByteBudget.unlimited(), STRICT);
        renderer = new FramedChannel("main", rings.rendererReader(new AdaptiveIdle(1_000, 10_000)), rings.rendererWriter(), limits,
                ByteBudget.unlimited(), STRICT);
    }

    @After
    public void close() throws Exception {
        main.close();
        reading.join(10_000);
        renderer.close();
        rings.close();
    }

    @Test(timeout = 60_000)
    public void smallMessagesFromManyThreadsArriveWholeAndInOrderBesideLargeOnes() throws Exception {
        int threads = 8;
        int each = 2000;
        Map<Integer, AtomicInteger> next = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(threads * each + 10);
        renderer.handle(FrameType.RSA_CALL, m -> {
            int sender = m.stream() >>> 16;
            int n = m.stream() & 0xffff;
            assertEquals("message of sender " + sender, next.computeIfAbsent(sender, s -> new AtomicInteger()).getAndIncrement(), n);
            assertEquals(n % 251, m.payload()[0] & 0xff);
            all.countDown();
        });
        renderer.handle(FrameType.BUNDLE, m -> {
            assertEquals(3 * RingFixture.CAPACITY, m.payload().length);
            all.countDown();
        });
        reading = new Thread(() -> renderer.readLoop(m -> { }));
        reading.start();
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int sender = t;
            senders[t] = new Thread(() -> {
                for (int n = 0; n < each; n++) {
                    send(FrameType.RSA_CALL, sender << 16 | n, new byte[] {(byte) (n % 251), 1, 2, 3});
                    if (sender == 0 && n % 200 == 0) {
                        send(FrameType.BUNDLE, 0, new byte[3 * RingFixture.CAPACITY]);
                    }
                }
            });
            senders[t].start();
        }
        for (Thread t : senders) {
            t.join();
        }
        assertTrue(all.await(30, TimeUnit.SECONDS));
    }

    @Test(timeout = 60_000)
    public void aSenderToATrustedPeerRingsItsDoorbellItself() throws Exception {
        main.wakingTrustedPeer();
        aReaderParkedOnItsDoorbellIsWokenForAMessageItsSenderWrote();
    }

    @Test(timeout = 60_000)
    public void aReaderParkedOnItsDoorbellIsWokenForAMessageItsSenderWrote() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        renderer.handle(FrameType.PING, m -> got.countDown());
        reading = new Thread(() -> renderer.readLoop(m -> { }));
        reading.start();
        while (!rings.rendererSleeping()) {
            Thread.sleep(1);
        }
        send(FrameType.PING, 0, new byte[0]);
        assertTrue(got.await(10, TimeUnit.SECONDS));
    }

    @Test(timeout = 60_000)
    public void aReaderParkedOnASocketBellIsWokenByTheSenderItself() throws Exception {
        Path path = rings.dir.resolve("bell.sock");
        FramedChannel.Limits limits = new FramedChannel.Limits(RingFixture.MAX_FRAME, 1 << 20, 4, 64 << 20);
        try (SocketBell bell = SocketBell.listen(path)) {
            FramedChannel overSocket = new FramedChannel("renderer 2", rings.mainReader(),
                    rings.main.writer(Side.MAIN, bell, TimeUnit.SECONDS.toNanos(30), AdaptiveIdle.DEFAULT), limits, ByteBudget.unlimited(), STRICT);
            FramedChannel reader = new FramedChannel("main", rings.renderer.reader(Side.RENDERER, SocketBell.connect(path),
                    RingFixture.MAX_FRAME, new AdaptiveIdle(1_000, 10_000)), rings.rendererWriter(), limits, ByteBudget.unlimited(), STRICT);
            CountDownLatch got = new CountDownLatch(1);
            reader.handle(FrameType.PING, m -> got.countDown());
            reading = new Thread(() -> reader.readLoop(m -> { }));
            reading.start();
            while (!rings.rendererSleeping()) {
                Thread.sleep(1);
            }
            overSocket.send(FrameType.PING, 0, new byte[0]);
            assertTrue(got.await(10, TimeUnit.SECONDS));
            overSocket.close();
            reading.join(10_000);
            reader.close();
        }
    }

    /**
     * A hostile peer keeps announcing sleep and consuming the ring but never reads its doorbell, whose pipe
     * is full: the writer blocks ringing it (a stall main sees), while every sender still writes into the
     * ring and returns at once.
     */
    @Test(timeout = 60_000)
    public void aPeerThatNeverReadsItsDoorbellBlocksOnlyTheWriter() throws Exception {
        fillDoorbell();
        Thread peer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                rings.toRenderer.publishHead(rings.toRenderer.tailVolatile());
                rings.toRenderer.sleeping(true);
                Thread.onSpinWait();
            }
        });
        peer.start();
        reading = new Thread(() -> { });
        reading.start();
        try {
            send(FrameType.RSA_RESULT, 0, new byte[] {1});
            while (main.stalledMs() == 0) {
                Thread.sleep(1); // the writer rings the full doorbell
            }
            for (int n = 1; n < 1000; n++) {
                send(FrameType.RSA_RESULT, n, new byte[] {1, 2, 3});
            }
        } finally {
            peer.interrupt();
            peer.join();
        }
    }

    /** The peer is gone with its ring full: closing the channel ends the writer that waits for room, at once. */
    @Test(timeout = 60_000)
    public void closingTheChannelEndsAWriterWaitingForRoomInARingNobodyReads() throws Exception {
        reading = new Thread(() -> { });
        reading.start();
        int n = 0;
        while (main.stalledMs() == 0) {
            send(FrameType.RSA_RESULT, n++, new byte[RingFixture.MAX_FRAME / 2]); // nobody reads the ring
            Thread.sleep(1);
        }
        List<Thread> writers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("cordon-renderer-1-writer")).toList();
        main.close();
        for (Thread writer : writers) {
            writer.join(10_000); // the ring's stall timeout is 30 s here
            assertFalse(writer + " still waits for room in the ring", writer.isAlive());
        }
    }

    private void fillDoorbell() throws IOException {
        Pipe.SinkChannel bell = rings.toRendererBell.sink();
        bell.configureBlocking(false);
        for (int chunk = 4096; chunk > 0; chunk /= 2) {
            while (bell.write(ByteBuffer.allocate(chunk)) > 0) {
                // until not even one byte fits
            }
        }
        bell.configureBlocking(true);
    }

    private void send(byte type, int stream, byte[] message) {
        try {
            main.send(type, stream, message);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
