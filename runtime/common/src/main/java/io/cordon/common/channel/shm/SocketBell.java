package io.cordon.common.channel.shm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main's doorbell to a renderer whose rings it writes: a Unix domain socket main listens on in the
 * renderer's own folder, where a ring never blocks. Java cannot make an inherited pipe non-blocking,
 * and a renderer that announces sleep but never reads could leave its pipe full, so over the pipe only
 * the channel's own writer thread may ring; over this socket any thread of main may (a full socket
 * means the renderer has rings it has not read, and it looks at the ring once it reads one), which
 * spares the wake-up of the writer thread.
 *
 * <p>The renderer connects once, before its reader can sleep ({@link #connect}); main accepts on its
 * first ring, without waiting, and removes the socket's path, so nothing else can connect afterwards.
 * Rings before that are dropped: a renderer that has not connected cannot be asleep, unless it is
 * hostile, and then it only starves itself.
 */
public final class SocketBell extends OutputStream {

    private final Path path;
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);
    private ServerSocketChannel server;
    private SocketChannel peer;
    private boolean closed;

    private SocketBell(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    /** Listens on {@code path} (a Unix socket path is limited to about 100 bytes; longer ones fail here). */
    public static SocketBell listen(Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Files.deleteIfExists(path);
            server.bind(UnixDomainSocketAddress.of(path), 1);
            server.configureBlocking(false);
            return new SocketBell(path, server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * The renderer's end: connects to main's bell at {@code path} and returns what its ring reader parks on.
     * The reading thread may run a served call's code, which could leave the thread interrupted; reading an
     * NIO channel on an interrupted thread would close it, so a stray flag is cleared first (the ring
     * reader is never meant to be interrupted).
     */
    public static InputStream connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        InputStream in = Channels.newInputStream(channel);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                Thread.interrupted();
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Thread.interrupted();
                return in.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /** Where the renderer connects. */
    public Path path() {
        return path;
    }

    /** Rings: one byte, or none when the renderer has not connected yet or has a full socket of unread rings. */
    @Override
    public synchronized void write(int b) throws IOException {
        if (closed || (peer == null && !accept())) {
            return;
        }
        one.clear();
        peer.write(one);
    }

    private boolean accept() throws IOException {
        SocketChannel accepted = server.accept();
        if (accepted == null) {
            return false;
        }
        accepted.configureBlocking(false);
        peer = accepted;
        closeServer();
        return true;
    }

    private void closeServer() throws IOException {
        if (server != null) {
            server.close();
            server = null;
            Files.deleteIfExists(path);
        }
    }

    /** Closes the socket: the renderer's reader sees the end of the channel. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        try {
            closeServer();
        } finally {
            if (peer != null) {
                peer.close();
            }
        }
    }
}
