package io.cordon.main.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One connected socket, Unix or TLS: its streams, how to close it, and what to call the other end in logs. */
record Link(InputStream in, OutputStream out, Closeable socket, String remote) implements Closeable {

    /** Accepts connections on one address. */
    interface Listener extends Closeable {
        /** The address endpoints advertise: {@code unix:<path>} or {@code tls:<host>:<port>}. */
        String address();

        /** The next connection; throws once closed. */
        Link accept() throws IOException;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
