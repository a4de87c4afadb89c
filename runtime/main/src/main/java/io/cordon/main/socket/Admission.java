package io.cordon.main.socket;

import java.util.Map;

import io.cordon.common.channel.ProtocolException;
import io.cordon.main.log.Untrusted;

/**
 * Whether the socket transport takes an authenticated connection, decided by the side that accepted it
 * and sent to the side that opened it as the greeting's last message: one connection per peer framework.
 * When two frameworks connect to each other at once, the connection opened by the framework with the
 * smaller UUID stays: each side decides for the connection it accepted, under the transport's lock, so
 * the two decisions agree; the other connection's opener is told {@link Verdict#DUPLICATE} and uses the
 * one that stays. Pure: the caller moves the messages.
 */
record Admission(Verdict verdict, String reason) {

    enum Verdict {
        /** Taken: the channel starts right after this message. */
        ADMIT,
        /** This side has, or is opening, the connection that stays: the opener closes this one and uses that. */
        DUPLICATE,
        /** Not taken; {@link #reason} says why. */
        REFUSED
    }

    /** The connection this side has with the peer, if any: opened by this side or by the peer. */
    enum Existing { NONE, OPENED_HERE, OPENED_THERE }

    private static final String KEY = "verdict";

    /**
     * The verdict on an authenticated connection framework {@code opener} opened to this one ({@code own}).
     *
     * @param existing  the connection this side already has with {@code opener}
     * @param dialing   whether this side is opening a connection to {@code opener} at the same time
     * @param peers     how many peers are connected
     */
    static Admission decide(String own, String opener, Existing existing, boolean dialing, int peers, int maxPeers) {
        if (existing == Existing.OPENED_HERE || (existing == Existing.NONE && dialing && stays(own, opener))) {
            return new Admission(Verdict.DUPLICATE, "");
        }
        if (existing == Existing.OPENED_THERE) {
            return refused("framework " + opener + " is already connected");
        }
        if (peers >= maxPeers) {
            return refused("already " + peers + " peers connected (max.peers)");
        }
        return new Admission(Verdict.ADMIT, "");
    }

    /** Of two connections between frameworks {@code a} and {@code b} opened at once, whether the one {@code a} opened stays. */
    static boolean stays(String a, String b) {
        return a.compareTo(b) < 0;
    }

    static Admission refused(String reason) {
        return new Admission(Verdict.REFUSED, reason);
    }

    Map<String, String> message() {
        return verdict == Verdict.REFUSED ? Map.of(KEY, verdict.name(), "reason", reason) : Map.of(KEY, verdict.name());
    }

    /** The verdict the accepting side sent; its reason is the peer's text, made safe to log. */
    static Admission of(Map<String, String> message) throws ProtocolException {
        String value = message.get(KEY);
        for (Verdict v : Verdict.values()) {
            if (v.name().equals(value)) {
                return new Admission(v, v == Verdict.REFUSED ? Untrusted.text(String.valueOf(message.get("reason")), 256) : "");
            }
        }
        throw new ProtocolException("greeting without a valid verdict");
    }
}
