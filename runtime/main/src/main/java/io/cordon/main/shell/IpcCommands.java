package io.cordon.main.shell;

import java.util.Collection;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;
import io.cordon.common.rsa.ExportedService;
import io.cordon.common.rsa.IpcStats;
import io.cordon.main.rsa.MainRsa;

/** What renderers may call and what they did: {@code cordon:exports} and {@code cordon:ipc}. */
@Component(service = IpcCommands.class, property = {"osgi.command.scope=cordon", "osgi.command.function=exports",
        "osgi.command.function=ipc"})
public final class IpcCommands {

    private final Renderers renderers;
    private final MainRsa rsa;

    @Activate
    public IpcCommands(@Reference Renderers renderers, @Reference MainRsa rsa) {
        this.renderers = renderers;
        this.rsa = rsa;
    }

    @Descriptor("per renderer, the main endpoints it may call and their methods (one row per method)")
    public String exports() {
        return exportsTable(-1);
    }

    @Descriptor("the main endpoints one renderer may call and their methods (one row per method)")
    public String exports(@Descriptor("renderer id") int id) {
        if (renderers.get(id).isEmpty()) {
            // An empty table would read as "this renderer may call nothing".
            throw new IllegalArgumentException("no renderer " + id + "; 'cordon:renderers' lists them");
        }
        return exportsTable(id);
    }

    /** All renderers for {@code id} -1. */
    private String exportsTable(int id) {
        Table table = new Table("ID", "TYPE", "ENDPOINT", "INTERFACES", "METHOD");
        for (Map.Entry<Integer, Map<ExportedService, Collection<String>>> renderer : rsa.exportsByRenderer().entrySet()) {
            if (id >= 0 && renderer.getKey() != id) {
                continue;
            }
            String type = renderers.get(renderer.getKey()).map(RendererInfo::type).orElse("-");
            renderer.getValue().forEach((service, methods) -> methods.forEach(m -> table.row(renderer.getKey(), type,
                    service.handle(), String.join(",", service.description().getInterfaces()), m)));
        }
        return table.toString();
    }

    @Descriptor("per renderer: calls in (renderer → main) and out, refused calls, bytes, calls in flight, latency")
    public String ipc() {
        Table table = new Table("ID", "TYPE", "CALLS_IN", "CALLS_OUT", "REFUSED", "BYTES_IN", "BYTES_OUT", "IN_FLIGHT",
                "SERVED_P50_US", "SERVED_P99_US", "CALLED_P50_US", "CALLED_P99_US");
        for (RendererInfo r : renderers.list()) {
            rsa.stats(r.id()).ifPresent(s -> row(table, r, s));
        }
        return table.toString();
    }

    private static void row(Table table, RendererInfo r, IpcStats.Snapshot s) {
        table.row(r.id(), r.type(), s.callsIn(), s.callsOut(), s.rejected(), s.bytesIn(), s.bytesOut(),
                s.inFlightIn() + s.inFlightOut(), dash(s.servedP50Us()), dash(s.servedP99Us()), dash(s.calledP50Us()),
                dash(s.calledP99Us()));
    }

    private static Object dash(long value) {
        return value < 0 ? "-" : value;
    }
}
