package io.cordon.api;

import java.time.Instant;

/**
 * A snapshot of one renderer.
 *
 * @param id         renderer id, unique in this main framework; kept across restarts
 * @param type       renderer type name; {@code -} for a spare renderer, which has none yet
 * @param pid        OS process id, -1 before the JVM started
 * @param state      life-cycle state
 * @param health     whether it works as deployed: {@link RendererHealth#DEGRADED} when a bundle is not active
 *                   or a DS component is unsatisfied (READY says only that it started); UNKNOWN while STARTING
 * @param startedAt  when this process was launched
 * @param restarts   how many times the restart policy has brought this renderer back
 * @param responsive false while heartbeats go unanswered
 * @param rssBytes   resident set size of the process, -1 when unknown
 * @param heapUsed   heap in use as the last heartbeat reported, -1 when unknown
 * @param heapMax    heap limit, -1 when unknown
 * @param sandboxLevel the OS sandbox the renderer got, null before it was launched
 * @param gone       why it is gone, null unless {@link RendererState#GONE}
 * @param exitCode   the process's exit status, null unless it exited
 * @param resources  what the renderer got of its type's {@link RendererType.Resources}: the nice value added
 *                   (0 where {@code nice} is missing) and the cgroup limits applied (0 where not)
 */
public record RendererInfo(int id, String type, long pid, RendererState state, RendererHealth health, Instant startedAt,
                           int restarts, boolean responsive, long rssBytes, long heapUsed, long heapMax,
                           SandboxLevel sandboxLevel, GoneReason gone, Integer exitCode, RendererType.Resources resources) {
}
