package io.cordon.bench.ipc.api;

import org.osgi.util.promise.Promise;

/** What bench:ipc calls in a renderer: the smallest useful call, a payload echo, and calls back into main. */
public interface BenchTarget {

    String ping(String text);

    /** {@code ping} declared asynchronous (osgi.async): the caller gets a Promise and no thread of its waits. */
    Promise<String> pingAsync(String text);

    byte[] echo(byte[] data);

    /** Calls main's BenchSink {@code calls} times from the renderer; each call's round trip in nanoseconds. */
    long[] callMain(int calls);
}
