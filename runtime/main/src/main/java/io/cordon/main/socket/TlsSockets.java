package io.cordon.main.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TCP with mutual TLS 1.3: each side presents its certificate from its key store and accepts only peers
 * whose certificate its trust store vouches for; the client also checks the server's host name.
 */
final class TlsSockets {

    static final String SCHEME = "tls:";
    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private TlsSockets() {
    }

    static SSLContext context(Path keystore, char[] keystorePassword, Path truststore, char[] truststorePassword) throws IOException {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(KeyStore.getInstance(keystore.toFile(), keystorePassword), keystorePassword);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(KeyStore.getInstance(truststore.toFile(), truststorePassword));
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the TLS key store " + keystore + " or trust store " + truststore + ": " + e.getMessage(), e);
        }
    }

    static Link.Listener listen(SSLContext context, String host, int port, String advertised) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, 50, InetAddress.getByName(host));
        server.setNeedClientAuth(true);
        server.setEnabledProtocols(PROTOCOLS);
        String address = SCHEME + advertised + ":" + server.getLocalPort();
        return new Link.Listener() {
            @Override
            public String address() {
                return address;
            }

            @Override
            public Link accept() throws IOException {
                SSLSocket socket = (SSLSocket) server.accept();
                return new Link(socket.getInputStream(), socket.getOutputStream(), socket, "tls peer " + socket.getRemoteSocketAddress());
            }

            @Override
            public void close() throws IOException {
                server.close();
            }
        };
    }

    /** Connects and completes the TLS handshake within {@code timeoutMs}. */
    static Link connect(SSLContext context, String address, int timeoutMs) throws IOException {
        String hostPort = address.substring(SCHEME.length());
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException("malformed address " + address + " (expected tls:<host>:<port>)");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException("malformed port in " + address);
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(PROTOCOLS);
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(timeoutMs);
            socket.startHandshake();
            socket.setSoTimeout(0);
            return new Link(socket.getInputStream(), socket.getOutputStream(), socket, address);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
