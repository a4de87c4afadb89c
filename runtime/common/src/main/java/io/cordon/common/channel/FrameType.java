package io.cordon.common.channel;

/**
 * Frame types. Control frames (1–31) run the renderer's life; the RSA layer uses its own range
 * (32–63). Anything else arriving is a protocol violation.
 */
public final class FrameType {

    /** main → renderer: framework properties for the renderer's Felix ({@link Messages} map). */
    public static final byte CONFIG = 1;
    /** main → renderer: one bundle to install: location, start level, then the jar bytes (chunked). */
    public static final byte BUNDLE = 2;
    /** main → renderer: start the framework and every bundle; answered by READY or FAILED. */
    public static final byte START = 3;
    /** renderer → main: every bundle is active; payload: the start-up stamps ({@link StartupPhases}, a {@link Messages} map). */
    public static final byte READY = 4;
    /** renderer → main: start-up failed; payload is the reason (UTF-8). */
    public static final byte FAILED = 5;
    /** main → renderer: heartbeat. */
    public static final byte PING = 6;
    /** renderer → main: heartbeat answer: {@code heap.used} and {@code heap.max} in bytes ({@link Messages} map). */
    public static final byte PONG = 7;
    /** main → renderer: run a Gogo command (UTF-8) inside the renderer's framework. */
    public static final byte EXEC = 8;
    /** renderer → main: the command's output: status byte (0 ok, 1 failed), then UTF-8 text. */
    public static final byte EXEC_RESULT = 9;
    /** main → renderer: stop the framework and exit with status 0. */
    public static final byte SHUTDOWN = 10;
    /** main → renderer (hot deploy): install and start one bundle ({@link Messages.BundleMessage}); answered by BUNDLE_RESULT. */
    public static final byte BUNDLE_INSTALL = 11;
    /** main → renderer (hot deploy): update the bundle installed from that location with these bytes; answered by BUNDLE_RESULT. */
    public static final byte BUNDLE_UPDATE = 12;
    /** main → renderer (hot deploy): uninstall the bundle installed from this location (UTF-8); answered by BUNDLE_RESULT. */
    public static final byte BUNDLE_UNINSTALL = 13;
    /** renderer → main: outcome of the hot-deploy request with the same stream ({@link Messages.Result}). */
    public static final byte BUNDLE_RESULT = 14;
    /** renderer → main: what is not working ({@link Messages.Health}); sent before READY and whenever it changes. */
    public static final byte HEALTH = 15;
    /**
     * main → renderer: start the framework and the runtime bundles sent so far, then wait for a type (a spare
     * renderer); answered by SPARE or FAILED.
     */
    public static final byte WARM = 16;
    /** renderer → main: the runtime is up and the renderer waits for ADOPT; payload: the start-up stamps so far. */
    public static final byte SPARE = 17;
    /**
     * main → renderer: the renderer's identity in main ({@link Messages} map: {@link Contract#ADOPTION_PROPERTIES}),
     * before its type's bundles and START; sent once, to a spare or to a renderer started for its type.
     */
    public static final byte ADOPT = 18;

    /** Either way: an endpoint the sender exports to this peer was added, updated or removed. */
    public static final byte RSA_ENDPOINT = 32;
    /** Either way: a remote call; the stream is the caller's call id. */
    public static final byte RSA_CALL = 33;
    /** Either way: the answer to the peer's call with the same stream (call id). */
    public static final byte RSA_RESULT = 34;
    /** Either way: the caller gave up on its call with this stream (timeout, cancel). */
    public static final byte RSA_CANCEL = 35;
    /** renderer → main: the renderer's RSA is up (its framework UUID); main answers with its endpoints. */
    public static final byte RSA_HELLO = 36;
    /** main → renderer: every endpoint main exports to this renderer has been announced. */
    public static final byte RSA_SYNCED = 37;

    private FrameType() {
    }

    public static String name(byte type) {
        return switch (type) {
            case CONFIG -> "CONFIG";
            case BUNDLE -> "BUNDLE";
            case START -> "START";
            case READY -> "READY";
            case FAILED -> "FAILED";
            case PING -> "PING";
            case PONG -> "PONG";
            case EXEC -> "EXEC";
            case EXEC_RESULT -> "EXEC_RESULT";
            case SHUTDOWN -> "SHUTDOWN";
            case BUNDLE_INSTALL -> "BUNDLE_INSTALL";
            case BUNDLE_UPDATE -> "BUNDLE_UPDATE";
            case BUNDLE_UNINSTALL -> "BUNDLE_UNINSTALL";
            case BUNDLE_RESULT -> "BUNDLE_RESULT";
            case HEALTH -> "HEALTH";
            case WARM -> "WARM";
            case SPARE -> "SPARE";
            case ADOPT -> "ADOPT";
            case RSA_ENDPOINT -> "RSA_ENDPOINT";
            case RSA_CALL -> "RSA_CALL";
            case RSA_RESULT -> "RSA_RESULT";
            case RSA_CANCEL -> "RSA_CANCEL";
            case RSA_HELLO -> "RSA_HELLO";
            case RSA_SYNCED -> "RSA_SYNCED";
            default -> "TYPE_" + (type & 0xff);
        };
    }
}
