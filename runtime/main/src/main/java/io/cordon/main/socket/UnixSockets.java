package io.cordon.main.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Unix domain sockets in a folder only this user may enter (0700): the file system is the first lock,
 * the shared secret the second.
 */
final class UnixSockets {

    static final String SCHEME = "unix:";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private UnixSockets() {
    }

    static Link.Listener listen(Path folder) throws IOException {
        Path path = secureFolder(folder).resolve("rsa.sock");
        Files.deleteIfExists(path); // left by a framework that was killed
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on Unix socket " + path + ": " + e.getMessage()
                    + " (a socket path must be under about 100 bytes; set unix.folder of io.cordon.socket to a shorter one)", e);
        }
        return new Link.Listener() {
            @Override
            public String address() {
                return SCHEME + path;
            }

            @Override
            public Link accept() throws IOException {
                return link(server.accept(), "unix peer");
            }

            @Override
            public void close() throws IOException {
                server.close();
                Files.deleteIfExists(path);
            }
        };
    }

    static Link connect(String address) throws IOException {
        Path path = Path.of(address.substring(SCHEME.length()));
        return link(SocketChannel.open(UnixDomainSocketAddress.of(path)), address);
    }

    /** Creates the folder 0700, or checks that it is: a folder others may enter is refused, not repaired. */
    static Path secureFolder(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder.getParent());
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !actual.equals(OWNER_ONLY)
                || !Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
            throw new IOException("socket folder " + folder + " must be a directory owned by " + System.getProperty("user.name")
                    + " with permissions rwx------ (0700), it has " + PosixFilePermissions.toString(actual)
                    + "; fix it (chmod 700) or set unix.folder of io.cordon.socket to a new folder");
        }
        return folder;
    }

    /** Streams straight on the channel: those of {@code Channels} would block a write behind a blocked read. */
    private static Link link(SocketChannel channel, String remote) {
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
        return new Link(in, out, channel, remote);
    }
}
