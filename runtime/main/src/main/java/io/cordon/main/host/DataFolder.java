package io.cordon.main.host;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * The one reader of the framework property {@value #PROPERTY} that the launcher sets from {@code --data}:
 * the folder of everything Cordon writes (renderers' folders, sockets); without it (main started by other
 * means, as in tests), this bundle's own data area.
 */
public final class DataFolder {

    static final String PROPERTY = "cordon.data";

    private DataFolder() {
    }

    /** {@code name} inside the data folder. */
    public static Path resolve(BundleContext context, String name) {
        String data = context.getProperty(PROPERTY);
        return data != null ? Path.of(data, name) : context.getDataFile(name).toPath();
    }
}
