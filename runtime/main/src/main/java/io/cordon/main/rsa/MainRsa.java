package io.cordon.main.rsa;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;
import org.osgi.service.remoteserviceadmin.namespace.DistributionNamespace;
import org.osgi.service.remoteserviceadmin.namespace.TopologyNamespace;

import io.cordon.api.RendererType;
import io.cordon.api.Renderers;
import io.cordon.common.channel.Contract;
import io.cordon.common.rsa.CordonRsa;
import io.cordon.common.rsa.EndpointProperties;
import io.cordon.common.rsa.ExportTopology;
import io.cordon.common.rsa.ExportedService;
import io.cordon.common.rsa.IpcStats;
import io.cordon.common.rsa.RsaConnection;
import io.cordon.common.rsa.RsaEvents;
import io.cordon.common.rsa.RsaExecutors;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * Main's Remote Service Admin: exports main's remotable services to the renderers whose whitelist names
 * them, imports what renderers export back (tagged {@code cordon.renderer.id}), and holds one strict
 * {@link RsaConnection} per renderer channel.
 */
@Capability(namespace = DistributionNamespace.DISTRIBUTION_NAMESPACE, version = "1.1.0",
        attribute = "configs:List<String>=\"" + EndpointProperties.CHANNEL_CONFIG + "," + EndpointProperties.SOCKET_CONFIG + "\"")
@Capability(namespace = TopologyNamespace.TOPOLOGY_NAMESPACE, version = "1.1.0", attribute = "policy:List<String>=\"cordon.whitelist\"")
@Capability(namespace = "osgi.service", uses = RemoteServiceAdmin.class,
        attribute = "objectClass:List<String>=\"org.osgi.service.remoteserviceadmin.RemoteServiceAdmin\"")
@Component(service = {RendererConnections.class, MainRsa.class}, immediate = true, configurationPid = "io.cordon.rsa")
@Designate(ocd = RsaConfig.class)
public final class MainRsa implements RendererConnections, CordonRsa.Distribution {

    private final Logger log;
    private final RsaConfig config;
    private final RsaExecutors executors;
    private final RsaEvents events;
    private final CordonRsa rsa;
    private final ExportTopology topology;
    private final ServiceRegistration<RemoteServiceAdmin> service;
    private final Map<Integer, RendererPeer> peers = new ConcurrentHashMap<>();
    private volatile EventAdmin eventAdmin;
    private volatile SocketLink sockets;

    @Activate
    public MainRsa(BundleContext context, RsaConfig config, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.config = config;
        this.executors = RsaExecutors.create("cordon-rsa");
        java.util.function.Consumer<String> problems = problem -> log.error("rsa: {}", problem);
        this.events = new RsaEvents(context, executors.callbacks(), e -> RsaEventAdminBridge.post(() -> eventAdmin, e), problems);
        // Jackson loads on a thread of its own while main's start-up goes on to launch the first renderers.
        Codec codec = new Codec(format(config.wire_format()), task -> {
            Thread thread = new Thread(task, "cordon-rsa-codec");
            thread.setDaemon(true);
            thread.start();
        });
        this.rsa = new CordonRsa(context, codec, this, events, problems);
        this.topology = new ExportTopology(context, rsa, problems);
        events.open();
        this.service = rsa.register();
        topology.open();
    }

    static WireFormat format(String name) {
        try {
            return WireFormat.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("io.cordon.rsa wire.format must be smile or json, got '" + name + "'");
        }
    }

    @Deactivate
    void deactivate() {
        try {
            service.unregister();
            topology.close();
            peers.values().forEach(p -> p.connection().close("main's RSA is stopping"));
            rsa.close();
            events.close();
        } finally {
            executors.shutdown();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unsetEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    // ---- renderers (from the supervisor) ----

    @Override
    public void attach(RendererLink renderer) {
        String name = "renderer " + renderer.id() + " (" + renderer.type().name() + ")";
        RendererPeer[] self = new RendererPeer[1];
        RsaConnection connection = new RsaConnection(name, renderer.channel(), rsa.codec(),
                executors.invoker(), executors.callbacks(), executors.timer(),
                new RsaConnection.Limits(config.max_in_flight(), config.max_in_flight(), config.call_timeout_ms(),
                        config.max_call_rate(), true, renderer.type().budget().invokerThreads()),
                renderer.budget(), (from, message) -> self[0].announced(from, message), renderer::badMessage);
        RendererPeer peer = new RendererPeer(renderer, connection, rsa, log);
        self[0] = peer;
        peers.put(renderer.id(), peer);
        peer.open();
    }

    @Override
    public void detach(RendererLink renderer, String reason) {
        RendererPeer peer = peers.get(renderer.id());
        if (peer != null && peer.link() == renderer && peers.remove(renderer.id(), peer)) {
            peer.connection().close(reason);
            rsa.disconnected(peer.connection());
        }
    }

    @Override
    public void typeChanged(RendererType type) {
        WhitelistPolicy policy = new WhitelistPolicy(type.whitelist(), type.trusted());
        peers.values().stream().filter(p -> p.link().type().name().equals(type.name())).forEach(p -> p.policy(policy));
    }

    @Override
    public Map<String, String> rendererProperties() {
        return Map.of(Contract.RSA_CALL_TIMEOUT_MS, Long.toString(config.call_timeout_ms()),
                Contract.RSA_WIRE_FORMAT, rsa.codec().format().name());
    }

    // ---- distribution ----

    @Override
    public Map<String, Set<String>> configTypes() {
        return sockets == null ? Map.of(EndpointProperties.CHANNEL_CONFIG, Set.of())
                : Map.of(EndpointProperties.CHANNEL_CONFIG, Set.of(), EndpointProperties.SOCKET_CONFIG, Set.of());
    }

    @Override
    public Map<String, Object> endpointProperties(String configType) {
        SocketLink s = sockets;
        return configType.equals(EndpointProperties.SOCKET_CONFIG) && s != null
                ? Map.of(EndpointProperties.SOCKET_ADDRESS, s.addresses().toArray(String[]::new)) : Map.of();
    }

    @Override
    public void exportAdded(ExportedService service) {
        exportUpdated(service);
    }

    @Override
    public void exportUpdated(ExportedService service) {
        SocketLink s = sockets;
        if (service.configType().equals(EndpointProperties.CHANNEL_CONFIG)) {
            peers.values().forEach(p -> p.offer(service));
        } else if (s != null) {
            s.offer(service);
        }
    }

    @Override
    public void exportRemoved(ExportedService service) {
        SocketLink s = sockets;
        if (service.configType().equals(EndpointProperties.CHANNEL_CONFIG)) {
            peers.values().forEach(p -> p.withdraw(service));
        } else if (s != null) {
            s.withdraw(service);
        }
    }

    @Override
    public void connect(EndpointDescription endpoint) throws IOException {
        SocketLink s = sockets;
        if (s == null) {
            throw new IOException("the socket transport is off: configure PID io.cordon.socket to import " + endpoint.getId());
        }
        s.connect(endpoint);
    }

    // ---- the socket transport ----

    /**
     * The socket transport started ({@code link}) or stopped (null). The RemoteServiceAdmin's supported
     * configuration types follow; remotable services that ask for cordon.socket are exported on it, and
     * its endpoints close with it.
     */
    public void sockets(SocketLink link) {
        this.sockets = link;
        service.setProperties(rsa.properties());
        if (link == null) {
            rsa.closeExports(EndpointProperties.SOCKET_CONFIG);
        } else {
            topology.refresh();
        }
    }

    public CordonRsa rsa() {
        return rsa;
    }

    public RsaExecutors executors() {
        return executors;
    }

    @Override
    public Map<String, Object> importProperties(RsaConnection connection) {
        Map<String, Object> p = new LinkedHashMap<>();
        peers.values().stream().filter(peer -> peer.connection() == connection).findFirst().ifPresent(peer -> {
            p.put(Renderers.RENDERER_ID, peer.link().id());
            p.put(Renderers.RENDERER_TYPE, peer.link().type().name());
        });
        return p;
    }

    // ---- for the shell ----

    /** Per renderer: the endpoints it may call and, per endpoint, the method signatures. */
    public Map<Integer, Map<ExportedService, Collection<String>>> exportsByRenderer() {
        Map<Integer, Map<ExportedService, Collection<String>>> out = new java.util.TreeMap<>();
        peers.forEach((id, peer) -> {
            Map<ExportedService, Collection<String>> endpoints = new LinkedHashMap<>();
            peer.connection().exports().forEach((service, ids) -> endpoints.put(service,
                    ids.stream().sorted().map(i -> service.methods().get(i).signature()).toList()));
            out.put(id, endpoints);
        });
        return out;
    }

    public Optional<IpcStats.Snapshot> stats(int rendererId) {
        return Optional.ofNullable(peers.get(rendererId)).map(p -> p.connection().stats());
    }
}
