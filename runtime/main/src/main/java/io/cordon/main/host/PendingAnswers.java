package io.cordon.main.host;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.ProtocolException;

/**
 * Requests main sent to one renderer that await its answer, by stream. The renderer is not trusted to
 * answer: each request fails after its timeout, and all fail when the renderer goes. An answer main gave
 * up waiting for (it came late) is dropped; only an answer to a stream main never used is a protocol
 * violation.
 */
final class PendingAnswers {

    private final byte answerType;
    private final int max;
    private final Map<Integer, Deferred<String>> pending = new ConcurrentHashMap<>();

    PendingAnswers(byte answerType, int max) {
        this.answerType = answerType;
        this.max = max;
    }

    /** Registers a request on {@code stream} and sends it with {@code send} (false: the renderer is unreachable). */
    Promise<String> request(String renderer, int stream, BooleanSupplier send, long timeoutMs, ScheduledExecutorService timer) {
        Deferred<String> result = new Deferred<>();
        if (pending.size() >= max) {
            result.fail(new IllegalStateException(renderer + " already has " + max + " requests pending"));
            return result.getPromise();
        }
        pending.put(stream, result);
        if (!send.getAsBoolean()) {
            pending.remove(stream);
            result.fail(new IllegalStateException(renderer + " is not reachable"));
            return result.getPromise();
        }
        try {
            timer.schedule(() -> expire(renderer, stream, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            expire(renderer, stream, 0); // main is stopping
        }
        return result.getPromise();
    }

    /**
     * The renderer's answer: status 0 resolves the request with the text, else fails it with the text.
     *
     * @param issued the highest stream main has used on this channel
     * @return false when the answer came too late and was dropped
     */
    boolean answer(int stream, Messages.Result result, int issued) throws ProtocolException {
        Deferred<String> request = pending.remove(stream);
        if (request == null) {
            if (stream > 0 && stream <= issued) {
                return false;
            }
            throw new ProtocolException(FrameType.name(answerType) + " for stream " + stream + ", which main never used");
        }
        if (result.status() == 0) {
            request.resolve(result.text());
        } else {
            request.fail(new IllegalStateException(result.text().strip()));
        }
        return true;
    }

    void failAll(RuntimeException cause) {
        for (Integer stream : pending.keySet()) {
            Deferred<String> request = pending.remove(stream);
            if (request != null) {
                request.fail(cause);
            }
        }
    }

    private void expire(String renderer, int stream, long timeoutMs) {
        Deferred<String> request = pending.remove(stream);
        if (request != null) {
            request.fail(new IllegalStateException(renderer + " did not answer within " + timeoutMs + " ms"));
        }
    }
}
