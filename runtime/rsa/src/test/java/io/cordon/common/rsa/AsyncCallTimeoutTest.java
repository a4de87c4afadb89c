package io.cordon.common.rsa;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.After;
import org.junit.Test;
import org.osgi.util.promise.Promise;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;

/** An asynchronous call's timeout is armed while it is pending and gone once it is answered. */
public class AsyncCallTimeoutTest {

    public interface Pinger {
        Promise<String> ping(String text);
    }

    private final RsaExecutors executors = RsaExecutors.create("async-timeout-test");

    @After
    public void stop() {
        executors.shutdown();
    }

    @Test
    public void answeredCallsLeaveNoTimeoutBehind() throws Throwable {
        Map<Byte, Channel.MessageHandler> handlers = new HashMap<>();
        Map<Integer, byte[]> sent = new HashMap<>();
        Channel channel = new Channel() {
            @Override
            public void send(byte type, int stream, byte[] message) {
                sent.put(stream, message);
            }

            @Override
            public void handle(byte type, MessageHandler handler) {
                handlers.put(type, handler);
            }
        };
        Codec codec = new Codec(WireFormat.SMILE);
        ScheduledThreadPoolExecutor timer = executors.timer();
        RsaConnection connection = new RsaConnection("peer", channel, codec, executors.invoker(), executors.callbacks(), timer,
                new RsaConnection.Limits(64, 1024, 30_000, 1000, true, 4), new ByteBudget("test", 1 << 20), (from, message) -> { },
                why -> { });
        connection.open();
        Method ping = Pinger.class.getMethod("ping", String.class);
        MethodCodec method = codec.forInterface(Pinger.class).method(ping);

        int calls = 500;
        Promise<?>[] answers = new Promise<?>[calls];
        for (int i = 0; i < calls; i++) {
            answers[i] = (Promise<?>) connection.call(1, method.id(), ping, method, new Object[] {"x"}, 30_000);
        }
        assertEquals("one timeout armed per pending call", calls, timer.getQueue().size());
        for (Integer callId : sent.keySet()) {
            byte[] result = CallHeader.result(CallHeader.OK, method.encodeResult("x"));
            handlers.get(FrameType.RSA_RESULT).onMessage(new Frame(FrameType.RSA_RESULT, (byte) 0, callId, result));
        }
        for (Promise<?> answer : answers) {
            assertEquals("x", answer.getValue());
        }
        assertTrue("answered calls keep no timeout in the timer's queue: " + timer.getQueue().size(), timer.getQueue().isEmpty());
    }
}
