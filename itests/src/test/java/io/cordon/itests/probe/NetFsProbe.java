package io.cordon.itests.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * A renderer bundle that tries what the OS sandbox must stop, as Gogo commands in scope {@code probe}
 * that the sandbox tests run through {@code cordon:exec}. A failure is thrown, so exec fails with it.
 */
public final class NetFsProbe implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "probe");
        properties.put("osgi.command.function", new String[] {"connect", "write", "tmpdir"});
        context.registerService(Object.class, this, properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }

    /** Opens a TCP connection and closes it. */
    public String connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            return "connected to " + host + ":" + port;
        }
    }

    /** Creates or overwrites a file. */
    public String write(String path) throws IOException {
        Files.writeString(Path.of(path), "written by a renderer\n");
        return "wrote " + path;
    }

    /** This renderer's java.io.tmpdir (inside its storage). */
    public String tmpdir() {
        return System.getProperty("java.io.tmpdir");
    }
}
