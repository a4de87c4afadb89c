package io.cordon.main.sandbox;

/**
 * The OS sandbox a renderer actually got, as {@code RendererInfo.sandbox} and the SANDBOX column of
 * {@code cordon:renderers} report it (short tokens, one word each).
 */
public enum SandboxLevel {
    /** The type asked for none ({@code sandbox=off}). */
    OFF("off"),
    /** The type accepts any ({@code sandbox=auto}) and this machine offers none; logged as a warning at every spawn. */
    NONE("none"),
    /** New user, network, mount, IPC and UTS namespaces set up by util-linux {@code unshare}; the JVM keeps the pid. */
    UNSHARE("ns-unshare"),
    /** The same (plus a PID namespace and a fresh /proc and /dev) set up by bubblewrap. */
    BWRAP("ns-bwrap");

    private final String token;

    SandboxLevel(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** True for the levels that put the renderer in namespaces. */
    public boolean isolated() {
        return this == UNSHARE || this == BWRAP;
    }

    @Override
    public String toString() {
        return token;
    }
}
