package io.cordon.bench.ipc.api;

/** What bench:ipc's renderers call in main: the smallest useful call. */
public interface BenchSink {

    String ping(String text);
}
