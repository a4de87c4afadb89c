package io.cordon.main.rsa;

import java.io.IOException;
import java.util.List;

import org.osgi.service.remoteserviceadmin.EndpointDescription;

import io.cordon.common.rsa.ExportedService;

/** The socket transport ({@code cordon.socket}) as main's RSA sees it, while it is configured. */
public interface SocketLink {

    /** Where peers reach this framework: the value of {@code cordon.socket.address}. */
    List<String> addresses();

    /** Announces an export of type cordon.socket (new or updated) to every connected peer. */
    void offer(ExportedService service);

    void withdraw(ExportedService service);

    /** Makes sure the framework {@code endpoint} names is connected and has announced its endpoints. */
    void connect(EndpointDescription endpoint) throws IOException;
}
