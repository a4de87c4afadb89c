package io.cordon.main.rsa;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.remoteserviceadmin.EndpointDescription;
import org.osgi.service.remoteserviceadmin.RemoteConstants;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdminEvent;

/** Posts RemoteServiceAdminEvents to EventAdmin with the topics and properties of RSA spec 122.7.1. */
final class RsaEventAdminBridge {

    private static final String TOPIC = "org/osgi/service/remoteserviceadmin/";

    private RsaEventAdminBridge() {
    }

    static void post(Supplier<EventAdmin> eventAdmin, RemoteServiceAdminEvent event) {
        EventAdmin admin = eventAdmin.get();
        if (admin != null) {
            admin.postEvent(new Event(TOPIC + typeName(event.getType()), properties(event)));
        }
    }

    static Map<String, Object> properties(RemoteServiceAdminEvent event) {
        Map<String, Object> p = new HashMap<>();
        Bundle bundle = event.getSource();
        p.put("bundle", bundle);
        p.put("bundle.id", bundle.getBundleId());
        p.put("bundle.symbolicname", bundle.getSymbolicName());
        p.put("bundle.version", bundle.getVersion());
        p.put("event", event);
        p.put("timestamp", System.currentTimeMillis());
        EndpointDescription endpoint = endpoint(event);
        if (endpoint != null) {
            p.put(RemoteConstants.ENDPOINT_SERVICE_ID, endpoint.getServiceId());
            p.put(RemoteConstants.ENDPOINT_FRAMEWORK_UUID, endpoint.getFrameworkUUID());
            p.put(RemoteConstants.ENDPOINT_ID, endpoint.getId());
            p.put("objectClass", endpoint.getInterfaces().toArray(String[]::new));
            p.put(RemoteConstants.SERVICE_IMPORTED_CONFIGS, endpoint.getConfigurationTypes().toArray(String[]::new));
        }
        if (event.getException() != null) {
            p.put("cause", event.getException());
        }
        return p;
    }

    private static EndpointDescription endpoint(RemoteServiceAdminEvent event) {
        if (event.getExportReference() != null) {
            return event.getExportReference().getExportedEndpoint();
        }
        return event.getImportReference() == null ? null : event.getImportReference().getImportedEndpoint();
    }

    static String typeName(int type) {
        return switch (type) {
            case RemoteServiceAdminEvent.IMPORT_REGISTRATION -> "IMPORT_REGISTRATION";
            case RemoteServiceAdminEvent.EXPORT_REGISTRATION -> "EXPORT_REGISTRATION";
            case RemoteServiceAdminEvent.EXPORT_UNREGISTRATION -> "EXPORT_UNREGISTRATION";
            case RemoteServiceAdminEvent.IMPORT_UNREGISTRATION -> "IMPORT_UNREGISTRATION";
            case RemoteServiceAdminEvent.IMPORT_ERROR -> "IMPORT_ERROR";
            case RemoteServiceAdminEvent.EXPORT_ERROR -> "EXPORT_ERROR";
            case RemoteServiceAdminEvent.EXPORT_WARNING -> "EXPORT_WARNING";
            case RemoteServiceAdminEvent.IMPORT_WARNING -> "IMPORT_WARNING";
            case RemoteServiceAdminEvent.IMPORT_UPDATE -> "IMPORT_UPDATE";
            case RemoteServiceAdminEvent.EXPORT_UPDATE -> "EXPORT_UPDATE";
            default -> "UNKNOWN";
        };
    }
}
