package io.cordon.common.rsa;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;

import org.osgi.framework.ServiceException;

import io.cordon.common.rsa.codec.MethodCodec;

/**
 * The invocation handler behind an imported service's proxy: turns a method call into an RSA_CALL on
 * the endpoint's connection. Methods the peer did not announce (not exported to this side) fail here,
 * without a frame, so an honest caller never trips the peer's enforcement.
 */
final class ImportedProxy implements InvocationHandler {

    /** A callable method: its wire id and codec. */
    record Wire(int id, MethodCodec codec) {
    }

    private final RsaConnection connection;
    private final long handle;
    private final String endpointId;
    private volatile Map<Method, Wire> methods;
    private final long timeoutMs;
    private volatile boolean closed;

    ImportedProxy(RsaConnection connection, long handle, String endpointId, Map<Method, Wire> methods, long timeoutMs) {
        this.connection = connection;
        this.handle = handle;
        this.endpointId = endpointId;
        this.methods = Map.copyOf(methods);
        this.timeoutMs = timeoutMs;
    }

    /** The peer re-announced the endpoint (a whitelist change): use its new method table. */
    void rewire(Map<Method, Wire> updated) {
        this.methods = Map.copyOf(updated);
    }

    /** The import closed: a caller that kept the proxy gets an exception, not a call. */
    void close() {
        closed = true;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "proxy of " + endpointId + " on " + connection.peer();
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (closed) {
            throw new ServiceException("the import of " + endpointId + " is closed", ServiceException.REMOTE);
        }
        Wire wire = methods.get(method);
        if (wire == null) {
            throw new ServiceException(method.getDeclaringClass().getName() + "." + method.getName()
                    + " is not exported to this side by " + connection.peer(), ServiceException.REMOTE);
        }
        return connection.call(handle, wire.id(), method, wire.codec(), args, timeoutMs);
    }
}
