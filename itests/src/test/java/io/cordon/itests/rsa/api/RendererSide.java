package io.cordon.itests.rsa.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.osgi.util.promise.Promise;

/** A renderer service main calls (the tests' renderer types provide it). */
public interface RendererSide {

    String whoami();

    /** Calls main's Echo from inside the renderer. */
    String echoViaMain(String text);

    Line stretchViaMain(Line line, int dx);

    int length(byte[] data);

    byte[] reverse(byte[] data);

    Map<String, Integer> count(java.util.List<String> words);

    Promise<String> later(String text, long delayMs);

    CompletableFuture<Integer> square(int x);

    String sleep(long ms) throws InterruptedException;

    /** Throws: iae, ise, npe, uoe, busy (declared), other (an UncheckedIOException). */
    void fail(String kind, String message) throws BusyException;

    /** Unregisters this service shortly after answering. */
    void withdraw();
}
