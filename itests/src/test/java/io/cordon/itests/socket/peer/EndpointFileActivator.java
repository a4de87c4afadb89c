package io.cordon.itests.socket.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.ExportReference;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs in the peer JVM: writes the properties of its first cordon.socket endpoint to the file named by
 * framework property {@value #FILE}, which the test reads: the discovery of these tests. Values are
 * typed by a prefix: {@code s:} a String, {@code a:} a String[] (comma-separated), {@code l:} a Long.
 */
public class EndpointFileActivator implements BundleActivator {

    public static final String FILE = "cordon.itest.endpoint.file";

    private volatile boolean stopped;

    @Override
    public void start(BundleContext context) {
        Path file = Path.of(context.getProperty(FILE));
        ServiceTracker<RemoteServiceAdmin, RemoteServiceAdmin> rsa = new ServiceTracker<>(context, RemoteServiceAdmin.class, null);
        rsa.open();
        Thread writer = new Thread(() -> {
            while (!stopped) {
                RemoteServiceAdmin admin = rsa.getService();
                if (admin != null) {
                    for (ExportReference ref : admin.getExportedServices()) {
                        EndpointDescription endpoint = ref.getExportedEndpoint();
                        if (endpoint != null && endpoint.getConfigurationTypes().contains("cordon.socket")) {
                            write(file, endpoint.getProperties());
                            rsa.close();
                            return;
                        }
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "endpoint-file");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop(BundleContext context) {
        stopped = true;
    }

    private static void write(Path file, Map<String, Object> properties) {
        Properties out = new Properties();
        properties.forEach((key, value) -> out.setProperty(key, value instanceof String[] array ? "a:" + String.join(",", array)
                : value instanceof Long l ? "l:" + l : "s:" + value));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                out.store(w, null);
            }
            Files.move(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
