package io.cordon.common.channel;

import java.util.List;

/**
 * What main and its renderers must agree on, in one place (as Chromium's {@code content_switches.h}):
 * frame and message sizes, the framework properties main hands a renderer in CONFIG and the identity
 * it hands it in ADOPT, and the start levels of the bundles it sends.
 */
public final class Contract {

    /** Largest frame either side writes or accepts; longer messages are chunked. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Largest message a renderer may send main: a 16 MiB RSA payload plus its encoding's overhead. */
    public static final int MAX_MESSAGE_TO_MAIN = (16 << 20) + (64 << 10);
    /** Largest message main may send a renderer (a bundle jar). */
    public static final int MAX_MESSAGE_TO_RENDERER = 256 << 20;
    /** Chunked messages a renderer may have open at once (main's writer keeps one open at a time). */
    public static final int MAX_OPEN_MESSAGES_TO_MAIN = 4;
    /** Chunked messages main may have open at once towards a renderer. */
    public static final int MAX_OPEN_MESSAGES_TO_RENDERER = 16;

    /** Framework property: the renderer's id in main. */
    public static final String RENDERER_ID = "cordon.renderer.id";
    /** Framework property: the renderer's type name. */
    public static final String RENDERER_TYPE = "cordon.renderer.type";
    /**
     * What ADOPT carries: a renderer's identity, known only once a type takes it (a spare is started before).
     * The renderer makes them system properties, which its framework's {@code getProperty} falls back to.
     */
    public static final List<String> ADOPTION_PROPERTIES = List.of(RENDERER_ID, RENDERER_TYPE);
    /**
     * Framework property: true for a dev-only trusted renderer (its preload hooks hide nothing). In CONFIG, not
     * ADOPT: the hooks start with the runtime, so a spare is started trusted or not.
     */
    public static final String RENDERER_TRUSTED = "cordon.renderer.trusted";
    /**
     * Service property ({@code =handshake}) of the renderer runtime's {@code Runnable} that greets main's RSA and
     * waits until main announced every endpoint; the bootstrap runs it once the renderer is adopted, before its
     * preload bundles start.
     */
    public static final String RSA_HANDSHAKE_PROPERTY = "cordon.renderer.rsa";
    /** Framework property: the default timeout of RSA calls, ms. */
    public static final String RSA_CALL_TIMEOUT_MS = "cordon.rsa.call.timeout.ms";
    /** Framework property: the RSA wire format (SMILE or JSON). */
    public static final String RSA_WIRE_FORMAT = "cordon.rsa.wire.format";

    /**
     * Environment variable main sets when a renderer's channel runs over shared-memory rings: the path of the
     * ring file, which the renderer's bootstrap maps and removes before it reads a frame. Unset: the pipe.
     */
    public static final String CHANNEL_SHM_ENV = "CORDON_CHANNEL_SHM";
    /**
     * Environment variable main sets beside {@link #CHANNEL_SHM_ENV} when it rings the renderer over a Unix
     * socket ({@code SocketBell}): its path, which the renderer's bootstrap connects to before it reads a
     * frame. Unset: main rings over the renderer's stdin.
     */
    public static final String CHANNEL_BELL_ENV = "CORDON_CHANNEL_BELL";
    /**
     * Bytes of each direction's ring: frames of up to 128 KiB − 4 bytes (larger messages go in chunks, as over
     * the pipe). Both processes keep the whole ring resident: 256 KiB rather than 2 MiB saved 1.7 MiB of each
     * idle renderer's PSS (and as much of main's per renderer) with 1 MiB round trips unchanged.
     */
    public static final int SHM_RING_BYTES = 256 << 10;
    /**
     * How long a ring's writer waits for the peer to make room before the channel gives up, ms: longer than
     * main's drain timeout, so that main's own check names the renderer unresponsive first.
     */
    public static final long SHM_STALL_MS = 60_000;

    /** Start level of Cordon's own bundles in a renderer (SCR, Gogo runtime, the renderer runtime). */
    public static final int RUNTIME_LEVEL = 1;
    /** Start level of a type's preload bundles: they start before any renderer bundle. */
    public static final int PRELOAD_LEVEL = 2;
    /** Start level of a type's renderer bundles. */
    public static final int RENDERER_LEVEL = 3;

    private Contract() {
    }
}
