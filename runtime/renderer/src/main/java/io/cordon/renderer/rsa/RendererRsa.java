package io.cordon.renderer.rsa;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;
import org.osgi.service.remoteserviceadmin.namespace.DistributionNamespace;
import org.osgi.service.remoteserviceadmin.namespace.TopologyNamespace;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;
import io.cordon.common.rsa.CordonRsa;
import io.cordon.common.rsa.EndpointMessage;
import io.cordon.common.rsa.EndpointProperties;
import io.cordon.common.rsa.ExportTopology;
import io.cordon.common.rsa.ExportedService;
import io.cordon.common.rsa.RsaConnection;
import io.cordon.common.rsa.RsaEvents;
import io.cordon.common.rsa.RsaExecutors;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * The renderer's Remote Service Admin. It activates with the runtime (start level 1), in a spare renderer
 * too, but greets main only when the bootstrap runs its handshake (a {@code Runnable} service), once the
 * renderer has a type and before its preload bundles start: it then waits until main has announced every
 * endpoint this renderer may use, so those bundles find their imported services when they start. The
 * renderer's own remotable services are exported to main, which imports those its type {@code provides}.
 */
@Capability(namespace = DistributionNamespace.DISTRIBUTION_NAMESPACE, version = "1.1.0",
        attribute = "configs:List<String>=\"" + EndpointProperties.CHANNEL_CONFIG + "\"")
@Capability(namespace = TopologyNamespace.TOPOLOGY_NAMESPACE, version = "1.1.0",
        attribute = "policy:List<String>=\"" + TopologyNamespace.PROMISCUOUS_POLICY + "\"")
@Capability(namespace = "osgi.service", uses = RemoteServiceAdmin.class,
        attribute = "objectClass:List<String>=\"org.osgi.service.remoteserviceadmin.RemoteServiceAdmin\"")
@Component(service = RendererRsa.class, immediate = true)
public final class RendererRsa implements CordonRsa.Distribution {

    private static final int MAX_IN_FLIGHT = 256;
    private static final int INVOKER_THREADS = 8;
    private static final long SYNC_TIMEOUT_MS = 10_000;

    private final RsaExecutors executors;
    private final RsaEvents events;
    private final CordonRsa rsa;
    private final RsaConnection connection;
    private final ExportTopology topology;
    private final CountDownLatch synced = new CountDownLatch(1);
    private final Channel channel;
    private final ServiceRegistration<Runnable> handshake;
    private volatile ServiceRegistration<RemoteServiceAdmin> service;
    private volatile String mainUuid;

    @Activate
    public RendererRsa(BundleContext context, @Reference Channel channel) {
        this.channel = channel;
        WireFormat format = WireFormat.valueOf(property(context, Contract.RSA_WIRE_FORMAT, "SMILE").toUpperCase(Locale.ROOT));
        long timeout = Long.parseLong(property(context, Contract.RSA_CALL_TIMEOUT_MS, "30000"));
        this.executors = RsaExecutors.create("cordon-rsa");
        this.events = new RsaEvents(context, executors.callbacks(), e -> { }, RendererRsa::problem);
        this.rsa = new CordonRsa(context, new Codec(format), this, events, RendererRsa::problem);
        // Main is trusted: nothing it sends is a reason to die, and its calls are not rate-limited.
        this.connection = new RsaConnection("main", channel, rsa.codec(), executors.invoker(),
                executors.callbacks(), executors.timer(),
                new RsaConnection.Limits(MAX_IN_FLIGHT, MAX_IN_FLIGHT, timeout, Double.MAX_VALUE, false, INVOKER_THREADS),
                ByteBudget.unlimited(), (from, message) -> rsa.announced(from, mainUuid, message),
                RendererRsa::problem);
        this.topology = new ExportTopology(context, rsa, RendererRsa::problem);
        channel.handle(FrameType.RSA_HELLO, m -> mainUuid = Messages.utf8(m.payload()));
        channel.handle(FrameType.RSA_SYNCED, m -> synced.countDown());
        events.open();
        connection.open();
        rehearse(rsa.codec());
        this.handshake = context.registerService(Runnable.class, this::greet,
                new Hashtable<>(Map.of(Contract.RSA_HANDSHAKE_PROPERTY, "handshake")));
    }

    /** Greets main, waits for its endpoints, then offers the RemoteServiceAdmin and this renderer's exports; once. */
    private synchronized void greet() {
        if (service != null) {
            return;
        }
        try {
            channel.send(FrameType.RSA_HELLO, 0, Messages.utf8(rsa.frameworkUuid()));
            if (!synced.await(SYNC_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                System.err.println("cordon-renderer: rsa: main did not announce its endpoints within " + SYNC_TIMEOUT_MS
                        + " ms; bundles start without them");
            }
        } catch (IOException e) {
            return; // main is gone; this renderer exits
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        service = rsa.register();
        topology.open();
    }

    /**
     * The codec's first message costs tens of milliseconds (Jackson builds its readers and writers; 25–58 ms for
     * the first announcement here, under 1 ms for the second): encoding and decoding one now, at activation, takes
     * that cost out of the handshake, so a spare renderer has paid it before it is adopted.
     */
    private static void rehearse(Codec codec) {
        EndpointMessage sample = new EndpointMessage(EndpointMessage.ADD, 1, 1, List.of("a.Api"), Map.of("a", "1.0.0"),
                List.of("osgi.basic"), Map.of("a", "b"), List.of(new EndpointMessage.MethodEntry(0, "call(java.lang.String)")));
        try {
            byte[] bytes = codec.encode(sample);
            codec.decode(bytes, 0, bytes.length, EndpointMessage.class);
        } catch (IOException e) {
            problem("rehearsing the codec failed: " + e);
        }
    }

    /** The renderer's log is its stderr, which main relays with the renderer's id. */
    private static void problem(String text) {
        System.err.println("cordon-renderer: rsa: " + text);
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    @Deactivate
    void deactivate() {
        try {
            handshake.unregister();
            synchronized (this) {
                if (service != null) {
                    service.unregister();
                }
            }
            topology.close();
            connection.close("the renderer's RSA is stopping");
            rsa.close();
            events.close();
            for (byte type : new byte[] {FrameType.RSA_HELLO, FrameType.RSA_SYNCED, FrameType.RSA_ENDPOINT, FrameType.RSA_CALL,
                    FrameType.RSA_RESULT, FrameType.RSA_CANCEL}) {
                channel.handle(type, null);
            }
        } finally {
            executors.shutdown();
        }
    }

    // ---- distribution: everything remotable here is offered to main ----

    @Override
    public Map<String, Set<String>> configTypes() {
        return Map.of(EndpointProperties.CHANNEL_CONFIG, Set.of());
    }

    @Override
    public void exportAdded(ExportedService service) {
        announce(service);
    }

    @Override
    public void exportUpdated(ExportedService service) {
        announce(service);
    }

    @Override
    public void exportRemoved(ExportedService service) {
        try {
            connection.withdraw(service);
        } catch (IOException e) {
            // main is gone; this renderer exits
        }
    }

    private void announce(ExportedService service) {
        try {
            connection.announce(service, id -> true);
        } catch (IOException e) {
            // main is gone; this renderer exits
        }
    }

    @Override
    public Map<String, Object> importProperties(RsaConnection from) {
        return Map.of();
    }
}
