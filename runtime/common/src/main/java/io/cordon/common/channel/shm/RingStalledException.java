package io.cordon.common.channel.shm;

import java.io.IOException;

/**
 * The peer did not make room in its ring within the writer's stall timeout: it stopped reading, so it is
 * unresponsive (or hostile). The channel's owner ends that peer; the writer never waits longer.
 */
public final class RingStalledException extends IOException {

    private static final long serialVersionUID = 1L;

    RingStalledException(String message) {
        super(message);
    }
}
