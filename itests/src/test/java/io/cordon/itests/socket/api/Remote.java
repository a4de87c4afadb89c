package io.cordon.itests.socket.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.util.promise.Promise;

/** The service a peer framework exports on cordon.socket in the socket tests. */
public interface Remote {

    String echo(String text);

    List<Integer> lengths(List<String> words);

    CompletableFuture<String> later(String text, int ms);

    Promise<Integer> square(int x);

    /** Throws: "iae" an IllegalArgumentException, anything else an UncheckedIOException. */
    int fail(String kind);

    /** Sets the service property {@code tag} of its own registration (an endpoint update). */
    void tag(String value);
}
