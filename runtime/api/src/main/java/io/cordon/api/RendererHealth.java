package io.cordon.api;

import java.util.Locale;

/**
 * Whether a renderer works as deployed ({@link RendererInfo#health()}): every bundle active and every
 * enabled DS component with a configuration satisfied (or active). A degraded renderer stays READY and
 * keeps serving what still works; {@link RendererEvent.Kind#DEGRADED} and a WARN line name what does not.
 */
public enum RendererHealth {
    /** Not reported yet: the renderer is STARTING. */
    UNKNOWN,
    /** Every bundle active, every component satisfied. */
    OK,
    /** A bundle is not active, or a component lacks a mandatory reference or failed to activate. */
    DEGRADED;

    /** The health as written in the shell and in events: {@code unknown}, {@code ok}, {@code degraded}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
