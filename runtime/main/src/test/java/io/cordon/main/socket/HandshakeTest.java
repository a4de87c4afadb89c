package io.cordon.main.socket;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

import io.cordon.common.channel.ProtocolException;

public class HandshakeTest {

    private static final String CLIENT = "11111111-1111-1111-1111-111111111111";
    private static final String SERVER = "22222222-2222-2222-2222-222222222222";
    private static final byte[] SECRET = "sixteen bytes at least".getBytes(StandardCharsets.UTF_8);

    @Test
    public void bothSidesWithTheSecretAgree() throws ProtocolException {
        Handshake client = new Handshake(SECRET, CLIENT);
        Handshake server = new Handshake(SECRET, SERVER);
        Handshake.Answer answer = server.answer(client.hello(SERVER));
        assertEquals(CLIENT, answer.clientUuid());
        server.accept(client.confirm(answer.message(), SERVER), answer);
    }

    @Test
    public void aServerWithoutTheSecretIsRefusedByTheClient() throws ProtocolException {
        Handshake client = new Handshake(SECRET, CLIENT);
        Handshake server = new Handshake("another secret entirely".getBytes(StandardCharsets.UTF_8), SERVER);
        Map<String, String> answer = server.answer(client.hello(SERVER)).message();
        ProtocolException e = assertThrows(ProtocolException.class, () -> client.confirm(answer, SERVER));
        assertTrue(e.getMessage(), e.getMessage().contains("the server does not know the shared secret"));
    }

    @Test
    public void aClientWithoutTheSecretIsRefusedByTheServer() throws ProtocolException {
        Handshake server = new Handshake(SECRET, SERVER);
        Handshake.Answer answer = server.answer(new Handshake(SECRET, CLIENT).hello(SERVER));
        assertThrows(ProtocolException.class, () -> server.accept(Map.of("proof", "00"), answer));
        assertThrows(ProtocolException.class, () -> server.accept(Map.of(), answer));
    }

    @Test
    public void theServerMustBeTheFrameworkTheEndpointNames() throws ProtocolException {
        Handshake client = new Handshake(SECRET, CLIENT);
        Handshake other = new Handshake(SECRET, "33333333-3333-3333-3333-333333333333");
        assertThrows(ProtocolException.class, () -> other.answer(client.hello(SERVER)));
        // A server that answers anyway, claiming to be the one wanted, cannot prove it is: its proof names its own UUID.
        Map<String, String> forged = new HashMap<>(other.answer(new Handshake(SECRET, CLIENT).hello("33333333-3333-3333-3333-333333333333")).message());
        forged.put("uuid", SERVER);
        assertThrows(ProtocolException.class, () -> client.confirm(forged, SERVER));
    }

    @Test
    public void aProofIsNotReplayedNorReflected() throws ProtocolException {
        Handshake client = new Handshake(SECRET, CLIENT);
        Handshake server = new Handshake(SECRET, SERVER);
        Handshake.Answer answer = server.answer(client.hello(SERVER));
        Map<String, String> proof = client.confirm(answer.message(), SERVER);
        Handshake freshServer = new Handshake(SECRET, SERVER);
        Handshake.Answer fresh = freshServer.answer(new Handshake(SECRET, CLIENT).hello(SERVER));
        assertThrows("an old proof does not fit a new nonce", ProtocolException.class, () -> freshServer.accept(proof, fresh));
        assertThrows("the server's own proof is not a client's", ProtocolException.class,
                () -> server.accept(Map.of("proof", answer.message().get("proof")), answer));
    }

    @Test
    public void malformedGreetingsAreProtocolErrors() {
        Handshake server = new Handshake(SECRET, SERVER);
        assertThrows(ProtocolException.class, () -> server.answer(Map.of()));
        assertThrows(ProtocolException.class, () -> server.answer(Map.of("v", Handshake.VERSION, "uuid", "x\nforged", "nonce", "0".repeat(64),
                "expect", SERVER)));
        assertThrows(ProtocolException.class, () -> server.answer(Map.of("v", "cordon.socket/0", "uuid", CLIENT, "nonce", "0".repeat(64),
                "expect", SERVER)));
        assertThrows("a client claiming the server's own UUID", ProtocolException.class,
                () -> server.answer(new Handshake(SECRET, SERVER).hello(SERVER)));
    }
}
