package io.cordon.common.rsa;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.util.promise.Promise;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * Asynchronous calls on one connection, answered by hand on the test's thread, which stands for the channel's
 * reader: a call's timeout is armed while it is pending and gone once it is answered, and the caller's
 * callbacks never run on the thread that received the answer, however many wait, nor wait for another peer's.
 */
public class AsyncCallsTest {

    public interface Pinger {
        Promise<String> ping(String text);
    }

    private final RsaExecutors executors = RsaExecutors.create("async-calls-test");
    private final Codec codec = new Codec(WireFormat.SMILE);
    private Method ping;
    private MethodCodec method;
    private Peer peer;

    /** One connection whose channel records the calls sent and lets the test answer them. */
    private final class Peer {
        final Map<Byte, Channel.MessageHandler> handlers = new HashMap<>();
        final List<Integer> sent = new ArrayList<>();
        final RsaConnection connection;

        Peer(String name) {
            Channel channel = new Channel() {
                @Override
                public void send(byte type, int stream, byte[] message) {
                    sent.add(stream);
                }

                @Override
                public void handle(byte type, MessageHandler handler) {
                    handlers.put(type, handler);
                }
            };
            connection = new RsaConnection(name, channel, codec, executors.invoker(), executors.callbacks(), executors.timer(),
                    new RsaConnection.Limits(64, 4096, 30_000, 1000, true, 4), new ByteBudget("test", 1 << 20), (from, message) -> { },
                    why -> { });
            connection.open();
        }

        Promise<?> call() throws Throwable {
            return (Promise<?>) connection.call(1, method.id(), ping, method, new Object[] {"x"}, 30_000);
        }

        /** Every call made so far answered "x", on this thread, as the channel's reader would. */
        void answerAll() throws Exception {
            for (Integer callId : sent) {
                byte[] result = CallHeader.result(CallHeader.OK, method.encodeResult("x"));
                handlers.get(FrameType.RSA_RESULT).onMessage(new Frame(FrameType.RSA_RESULT, (byte) 0, callId, result));
            }
            sent.clear();
        }
    }

    @Before
    public void connect() throws Exception {
        ping = Pinger.class.getMethod("ping", String.class);
        method = codec.forInterface(Pinger.class).method(ping);
        peer = new Peer("peer");
    }

    @After
    public void stop() {
        executors.shutdown();
    }

    @Test
    public void answeredCallsLeaveNoTimeoutBehind() throws Throwable {
        ScheduledThreadPoolExecutor timer = executors.timer();
        int calls = 500;
        List<Promise<?>> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            answers.add(peer.call());
        }
        assertEquals("one timeout armed per pending call", calls, timer.getQueue().size());
        peer.answerAll();
        for (Promise<?> answer : answers) {
            assertEquals("x", answer.getValue());
        }
        assertTrue("answered calls keep no timeout in the timer's queue: " + timer.getQueue().size(), timer.getQueue().isEmpty());
    }

    @Test
    public void aPromisesCallbacksNeverRunOnTheThreadThatReceivedTheAnswer() throws Throwable {
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(2); // the two callbacks run independently of each other
        peer.call().onResolve(() -> {
            threads.add(Thread.currentThread().getName());
            ran.countDown();
        }).then(p -> {
            threads.add(Thread.currentThread().getName());
            ran.countDown();
            return p;
        });
        peer.answerAll();
        assertTrue("both callbacks ran: " + threads, ran.await(10, TimeUnit.SECONDS));
        for (String thread : threads) {
            assertNotEquals("a callback ran on the receiving thread", Thread.currentThread().getName(), thread);
        }
    }

    @Test
    public void callbacksWaitOffTheReceivingThreadWhileEveryCallbackThreadIsBusy() throws Throwable {
        String receiver = Thread.currentThread().getName();
        int calls = 1100; // more than the callback threads and the fixed queue of before (2 + 1024) could hold
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(calls);
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < calls; i++) {
            peer.call().onResolve(() -> {
                threads.add(Thread.currentThread().getName());
                ran.countDown();
                if (!Thread.currentThread().getName().equals(receiver)) {
                    await(release); // a callback that blocks, as one calling a renderer that never answers does
                }
            });
        }
        peer.answerAll();
        assertFalse("no callback ran on the receiving thread", threads.contains(receiver));
        release.countDown();
        assertTrue("every callback ran once the blocked ones returned: " + ran.getCount() + " left", ran.await(10, TimeUnit.SECONDS));
        assertFalse("no callback ran on the receiving thread", threads.contains(receiver));
    }

    @Test
    public void aPeersBlockedCallbacksHoldNoThreadAnotherPeersCallbacksNeed() throws Throwable {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(2); // as many as there were callback threads in all before
        for (int i = 0; i < 2 * RsaConnection.CALLBACK_QUOTA; i++) {
            peer.call().onResolve(() -> {
                blocked.countDown();
                await(release);
            });
        }
        peer.answerAll();
        assertTrue("the first peer's callbacks block", blocked.await(10, TimeUnit.SECONDS));
        Peer other = new Peer("other");
        CountDownLatch otherRan = new CountDownLatch(1);
        other.call().onResolve(otherRan::countDown);
        other.answerAll();
        try {
            assertTrue("the other peer's callback ran while the first peer's were blocked", otherRan.await(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
