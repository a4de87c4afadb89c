package io.cordon.main.deploy;

import java.util.concurrent.ScheduledExecutorService;

import org.osgi.util.promise.Promise;

import io.cordon.api.RendererHealth;
import io.cordon.api.RendererState;
import io.cordon.api.RendererType;

/** A running renderer as hot deploy sees it (main's host of the renderer process implements it). */
public interface DeployTarget {

    int id();

    RendererType type();

    long pid();

    RendererState state();

    /** Its health as last reported, for the BUNDLE event. */
    RendererHealth currentHealth();

    /**
     * Sends BUNDLE_INSTALL, BUNDLE_UPDATE or BUNDLE_UNINSTALL; resolves with the renderer's answer once the
     * bundle is active (or gone), fails with its reason, or after {@code timeoutMs}.
     */
    Promise<String> bundleOp(byte op, byte[] payload, long timeoutMs, ScheduledExecutorService timer);
}
