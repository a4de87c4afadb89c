package io.cordon.renderer.boot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.cordon.common.channel.Messages;
import io.cordon.common.channel.StartupPhases;

/** The renderer's start-up stamps ({@link StartupPhases}), each taken the first time its step happens; sent with READY. */
final class StartupClock {

    private final Map<String, String> stamps = new ConcurrentHashMap<>();

    void mark(String step) {
        stamps.putIfAbsent(step, Long.toString(StartupPhases.nowMicros()));
    }

    /** A spare was adopted: its start-up as a renderer begins now. */
    void restart() {
        stamps.clear();
    }

    byte[] encode() {
        return Messages.map(Map.copyOf(stamps));
    }
}
