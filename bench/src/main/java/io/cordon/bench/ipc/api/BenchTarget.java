package io.cordon.bench.ipc.api;

/** What bench:ipc calls in a renderer: the smallest useful call and a payload echo. */
public interface BenchTarget {

    String ping(String text);

    byte[] echo(byte[] data);
}
