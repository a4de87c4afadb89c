package io.cordon.main.socket;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the socket transport (PID {@code io.cordon.socket}); without one the transport is off.
 * Secrets and passwords are private properties (leading dot), never service properties.
 */
@ObjectClassDefinition(name = "Cordon socket transport",
        description = "RSA configuration type cordon.socket: Unix domain sockets and TCP with TLS between frameworks that run Cordon")
@interface SocketConfig {

    @AttributeDefinition(description = "Listen on a Unix domain socket (needs .secret)")
    boolean unix() default true;

    @AttributeDefinition(description = "Folder of the Unix socket, made 0700 (default: <cordon.data>/socket)")
    String unix_folder() default "";

    @AttributeDefinition(name = ".secret", type = AttributeType.PASSWORD,
            description = "Shared secret both frameworks prove they know (HMAC challenge); required for Unix sockets, also checked over TLS when set")
    String _secret() default "";

    @AttributeDefinition(description = "TCP port for TLS; -1 off, 0 any free port")
    int tls_port() default -1;

    @AttributeDefinition(description = "Address the TLS listener binds")
    String tls_host() default "127.0.0.1";

    @AttributeDefinition(description = "Host name endpoints advertise (the certificate must name it); default: tls.host")
    String tls_advertised_host() default "";

    @AttributeDefinition(description = "Key store (PKCS12) with this framework's key and certificate")
    String tls_keystore() default "";

    @AttributeDefinition(name = ".tls.keystore.password", type = AttributeType.PASSWORD)
    String _tls_keystore_password() default "";

    @AttributeDefinition(description = "Trust store (PKCS12) with the certificates (or CA) of the peers this framework accepts")
    String tls_truststore() default "";

    @AttributeDefinition(name = ".tls.truststore.password", type = AttributeType.PASSWORD)
    String _tls_truststore_password() default "";

    @AttributeDefinition(description = "Connected peer frameworks at most (both directions)")
    int max_peers() default 16;

    @AttributeDefinition(description = "Time a peer has to connect, authenticate and announce its endpoints, ms")
    long handshake_timeout_ms() default 5_000;

    @AttributeDefinition(description = "MiB one peer may hold in main at once: its unfinished messages, its calls waiting, what is queued for it")
    int buffer_mb() default 64;

    @AttributeDefinition(description = "Invoker threads one peer's calls may occupy at once")
    int invoker_threads() default 4;

    @AttributeDefinition(description = "A peer that reads nothing of what it is sent for this long is disconnected, ms")
    long drain_timeout_ms() default 15_000;

    @AttributeDefinition(description = "Calls one peer may have in flight; one more is a bad message")
    int max_in_flight() default 256;

    @AttributeDefinition(description = "Calls per second one peer may make (bursts of one second); more are refused")
    int max_call_rate() default 50_000;

    @AttributeDefinition(description = "Default timeout of a call to a peer, ms (an endpoint's osgi.basic.timeout overrides it)")
    long call_timeout_ms() default 30_000;
}
