package io.cordon.common.channel;

import java.io.IOException;

/** An owner for tests where the channel must never fail: a violation or an Error fails the reader thread loudly. */
public final class StrictOwner implements FramedChannel.Owner {

    @Override
    public void violation(String what) {
        throw new AssertionError(what);
    }

    @Override
    public void ended(IOException cause) {
        // the test closed the channel
    }

    @Override
    public void error(Error error) {
        throw error;
    }
}
