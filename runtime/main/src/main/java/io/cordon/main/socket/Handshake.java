package io.cordon.main.socket;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.cordon.common.channel.ProtocolException;

/**
 * The socket transport's greeting, both roles: each side names its framework UUID and a fresh nonce,
 * and, when a shared secret is configured, proves it knows the secret with an HMAC-SHA256 over both
 * nonces, both UUIDs and its role, so a proof can be neither replayed nor reflected. The client also
 * checks that the server is the framework the endpoint names; the server's verdict ({@link Admission})
 * ends the greeting. Pure: the caller moves the messages.
 */
final class Handshake {

    /** 2: the server ends the greeting with its verdict ({@link Admission}). */
    static final String VERSION = "cordon.socket/2";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F-]{8,64}");
    private static final Pattern NONCE = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret;
    private final String ownUuid;
    private final String nonce = nonce();

    /** @param secret the shared secret, empty when none is configured (then only TLS authenticates) */
    Handshake(byte[] secret, String ownUuid) {
        this.secret = secret.clone();
        this.ownUuid = ownUuid;
    }

    /** The client's first message: who it is and which framework it wants. */
    Map<String, String> hello(String expectedServer) {
        return Map.of("v", VERSION, "uuid", ownUuid, "nonce", nonce, "expect", expectedServer);
    }

    /** The server's answer to {@code hello}; returns the client's UUID through {@link #answer}'s record. */
    Answer answer(Map<String, String> hello) throws ProtocolException {
        String client = checked(hello, "uuid", UUID);
        String theirs = checked(hello, "nonce", NONCE);
        version(hello);
        if (!ownUuid.equals(hello.get("expect"))) {
            throw new ProtocolException("the client wants another framework than this one");
        }
        if (client.equalsIgnoreCase(ownUuid)) {
            throw new ProtocolException("the client claims this framework's own UUID");
        }
        return new Answer(client, theirs, Map.of("v", VERSION, "uuid", ownUuid, "nonce", nonce,
                "proof", proof("server", theirs, nonce, ownUuid, client)));
    }

    record Answer(String clientUuid, String clientNonce, Map<String, String> message) {
    }

    /** The client checks the server's answer and returns its proof for the server. */
    Map<String, String> confirm(Map<String, String> answer, String expectedServer) throws ProtocolException {
        version(answer);
        String server = checked(answer, "uuid", UUID);
        String theirs = checked(answer, "nonce", NONCE);
        if (!server.equals(expectedServer)) {
            throw new ProtocolException("the peer is framework " + server + ", not " + expectedServer + " that the endpoint names");
        }
        verify(answer.get("proof"), proof("server", nonce, theirs, server, ownUuid), "the server");
        return Map.of("proof", proof("client", theirs, nonce, ownUuid, server));
    }

    /** The server checks the client's proof. */
    void accept(Map<String, String> confirmation, Answer answer) throws ProtocolException {
        verify(confirmation.get("proof"), proof("client", nonce, answer.clientNonce(), answer.clientUuid(), ownUuid), "the client");
    }

    private void verify(String given, String expected, String who) throws ProtocolException {
        byte[] a = String.valueOf(given).getBytes(StandardCharsets.US_ASCII);
        byte[] b = expected.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(a, b)) {
            throw new ProtocolException(who + " does not know the shared secret (wrong or missing proof)");
        }
    }

    private String proof(String role, String clientNonce, String serverNonce, String uuid, String peerUuid) {
        if (secret.length == 0) {
            return "";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String text = String.join("\n", VERSION, role, clientNonce, serverNonce, uuid, peerUuid);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static void version(Map<String, String> message) throws ProtocolException {
        if (!VERSION.equals(message.get("v"))) {
            throw new ProtocolException("the peer does not speak " + VERSION);
        }
    }

    private static String checked(Map<String, String> message, String key, Pattern pattern) throws ProtocolException {
        String value = message.get(key);
        if (value == null || !pattern.matcher(value).matches()) {
            throw new ProtocolException("greeting with a missing or malformed '" + key + "'");
        }
        return value;
    }

    private static String nonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
