package io.cordon.common.rsa;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one channel's RSA traffic, for {@code cordon:ipc}. */
public final class IpcStats {

    final LongAdder callsIn = new LongAdder();
    final LongAdder callsOut = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LatencyWindow served = new LatencyWindow();
    final LatencyWindow called = new LatencyWindow();

    /** A snapshot; latencies in microseconds, -1 when nothing was measured yet. */
    public record Snapshot(long callsIn, long callsOut, long rejected, long bytesIn, long bytesOut, int inFlightIn,
                           int inFlightOut, long servedP50Us, long servedP99Us, long calledP50Us, long calledP99Us) {
    }

    Snapshot snapshot(int inFlightIn, int inFlightOut) {
        return new Snapshot(callsIn.sum(), callsOut.sum(), rejected.sum(), bytesIn.sum(), bytesOut.sum(), inFlightIn,
                inFlightOut, served.percentileMicros(50), served.percentileMicros(99), called.percentileMicros(50),
                called.percentileMicros(99));
    }
}
