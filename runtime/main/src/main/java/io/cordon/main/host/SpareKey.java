package io.cordon.main.host;

import java.util.List;

import io.cordon.api.RendererType;

/**
 * What decides a renderer process before it has a type, so a spare started for one type serves every type
 * with the same key: its command line (heap, JVM options, sandbox, priority and cgroup limits), its channel
 * (transport and main's buffer budget for it) and what its runtime starts with (trusted or not). Whatever else
 * a type sets is sent when a type adopts the spare, or applies in main.
 */
record SpareKey(int heapMb, List<String> jvmOptions, RendererType.SandboxPolicy sandbox, RendererType.Resources resources,
                RendererType.Transport transport, int bufferMb, boolean trusted) {

    static SpareKey of(RendererType type) {
        return new SpareKey(type.heapMb(), List.copyOf(type.jvmOptions()), type.sandboxPolicy(), type.resources(),
                type.transport(), type.budget().bufferMb(), type.trusted());
    }
}
