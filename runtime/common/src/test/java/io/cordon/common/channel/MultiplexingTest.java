package io.cordon.common.channel;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

/**
 * Many writers sending chunked and small messages on their own streams at once, as concurrent RSA calls
 * do: frames of different streams interleave on the wire, and the reader's assembler gives every stream
 * its message back whole and unmixed.
 */
public class MultiplexingTest {

    private static final int MAX_FRAME = 256;

    @Test
    public void concurrentChunkedMessagesOnDistinctStreamsComeBackWhole() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire, MAX_FRAME);
        int writers = 8;
        int perWriter = 50;
        Map<Integer, byte[]> sent = new HashMap<>();
        Random random = new Random(7);
        for (int w = 0; w < writers; w++) {
            for (int m = 0; m < perWriter; m++) {
                byte[] message = new byte[random.nextInt(4 * MAX_FRAME)];
                random.nextBytes(message);
                sent.put(w * 1000 + m, message);
            }
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int writerId = w;
            threads[w] = new Thread(() -> {
                try {
                    start.await();
                    for (int m = 0; m < perWriter; m++) {
                        int stream = writerId * 1000 + m;
                        writer.send(FrameType.RSA_CALL, stream, sent.get(stream));
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            threads[w].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, failure.get());

        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), MAX_FRAME);
        MessageAssembler assembler = new MessageAssembler(4 * MAX_FRAME, writers);
        Map<Integer, byte[]> received = new HashMap<>();
        boolean interleaved = false;
        int lastStream = -1;
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            interleaved |= lastStream >= 0 && frame.stream() != lastStream && received.get(lastStream) == null;
            lastStream = frame.stream();
            Frame message = assembler.accept(frame);
            if (message != null) {
                received.put(message.stream(), message.payload());
            }
        }
        assertEquals(sent.size(), received.size());
        sent.forEach((stream, message) -> assertArrayEquals("stream " + stream, message, received.get(stream)));
        System.out.println("MultiplexingTest: frames of different streams interleaved on the wire: " + interleaved);
    }
}
