package io.cordon.api;

import java.util.Locale;

/** The OS sandbox a renderer got ({@link RendererInfo#sandboxLevel()}); its type asks for one with a {@link RendererType.SandboxPolicy}. */
public enum SandboxLevel {
    /** No sandbox: its type says {@code sandbox=off}. */
    OFF,
    /** No sandbox: its type says {@code sandbox=auto} and this machine has none (a warning at every spawn says why). */
    NONE,
    /** Linux namespaces (no network, a read-only file system but its own folder) set up with util-linux {@code unshare}. */
    NS_UNSHARE,
    /** The same namespaces, plus a PID namespace, set up with bubblewrap ({@code bwrap}). */
    NS_BWRAP;

    /** True for the levels that put the renderer in namespaces (and a session) of its own. */
    public boolean isolated() {
        return this == NS_UNSHARE || this == NS_BWRAP;
    }

    /** The level as written in the shell and the log: {@code off}, {@code none}, {@code ns-unshare}, {@code ns-bwrap}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
