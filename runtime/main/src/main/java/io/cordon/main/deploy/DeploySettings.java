package io.cordon.main.deploy;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** FileInstall's deploy folder and poll interval, read from the framework properties it reads them from. */
public final class DeploySettings {

    static final String DIR_PROPERTY = "felix.fileinstall.dir";
    static final String POLL_PROPERTY = "felix.fileinstall.poll";
    /** FileInstall's own defaults, so Cordon watches what FileInstall watches when they are unset. */
    private static final String DEFAULT_DIR = "load";
    private static final long DEFAULT_POLL_MS = 2000;

    private DeploySettings() {
    }

    /** The folder FileInstall watches, absolute. */
    public static Path dir(BundleContext context) {
        String value = context.getProperty(DIR_PROPERTY);
        return Path.of(value == null || value.isBlank() ? DEFAULT_DIR : value.trim()).toAbsolutePath();
    }

    /** FileInstall's poll interval in ms (at least 50). */
    public static long pollMs(BundleContext context) {
        String value = context.getProperty(POLL_PROPERTY);
        try {
            return value == null ? DEFAULT_POLL_MS : Math.max(50, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_POLL_MS;
        }
    }
}
