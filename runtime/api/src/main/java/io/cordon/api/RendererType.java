package io.cordon.api;

import java.util.List;

/**
 * A renderer type: how to build and run renderers. Created from ConfigAdmin factory configurations
 * with factory PID {@value #FACTORY_PID} (for example a {@code io.cordon.renderer.type-NAME.cfg} in
 * {@code deploy/}).
 *
 * @param name           the type's name, used by {@code cordon:spawn NAME}
 * @param instances      how many renderers of this type run from the start
 * @param preload        preload bundle locations, started first (start level 2)
 * @param bundles        renderer bundle locations, started after the preload (start level 3)
 * @param heapMb         the renderer JVM's heap limit (-Xmx) in MiB
 * @param jvmOptions     extra JVM options
 * @param restart        the restart policy
 * @param backoffMs      first restart delay; doubles after each consecutive crash
 * @param backoffMaxMs   the cap of the restart delay
 * @param sandboxPolicy  the OS sandbox wanted; {@link RendererInfo#sandboxLevel()} says what each renderer got
 * @param whitelist      the main services (and methods) renderers of this type may call; main enforces it
 * @param provides       the interfaces renderers of this type may export back to main; main imports no others
 * @param trusted        development only: every remotable main service is exported, whitelist or not
 * @param bundleUpdate   what a change in the type's bundle files does to its running renderers
 * @param budget         what main lets one renderer of this type hold at once
 * @param resources      the share of the machine its renderers may take: scheduling priority and cgroup limits
 * @param transport      what carries the channel between main and each renderer of this type
 */
public record RendererType(String name, int instances, List<String> preload, List<String> bundles, int heapMb,
                           List<String> jvmOptions, RestartPolicy restart, long backoffMs, long backoffMaxMs,
                           SandboxPolicy sandboxPolicy, List<WhitelistEntry> whitelist, List<String> provides, boolean trusted,
                           BundleUpdatePolicy bundleUpdate, Budget budget, Resources resources, Transport transport) {

    public static final String FACTORY_PID = "io.cordon.renderer.type";

    /**
     * One renderer's compartment in main: exceeding it kills the renderer with reason bad-message.
     *
     * @param bufferMb       MiB main holds for one renderer each way: its unfinished messages and calls waiting to be
     *                       served, and what main has queued for it to read
     * @param invokerThreads main's threads one renderer's calls may occupy at once; its further calls wait in its own queue
     */
    public record Budget(int bufferMb, int invokerThreads) {

        public static final Budget DEFAULT = new Budget(64, 4);

        public Budget {
            if (bufferMb < 1 || invokerThreads < 1) {
                throw new IllegalArgumentException("buffer.mb and invoker.threads must be at least 1");
            }
        }

        public long bufferBytes() {
            return (long) bufferMb << 20;
        }
    }

    /** What carries a renderer's channel; the child's stdin/stdout stay open either way (doorbell, death signal). */
    public enum Transport {
        /**
         * Shared-memory rings, one per direction, with the pipe as doorbell: the default. Where they cannot work
         * (the memory cannot be created, or the renderer would run unsandboxed with the capabilities to reopen it)
         * the renderer gets the pipe, and main logs why once per type.
         */
        SHM,
        /** Length-prefixed frames on the child's stdin/stdout. */
        PIPE
    }

    /**
     * The share of the machine a renderer may take, so that one spinning, leaking or forking cannot slow
     * main or the other renderers. The cgroup limits apply only where main can create cgroup v2 groups with
     * those controllers; {@link RendererInfo#resources()} says what a renderer got.
     *
     * @param nice     added to main's nice value for the whole renderer process (0..19; 0 = main's priority)
     * @param cpu      cores the renderer may use (cgroup {@code cpu.max}; 0.5 = half a core), 0 for no limit
     * @param memoryMb memory of the whole process in MiB (cgroup {@code memory.max}: heap, native, threads), 0 for no limit
     * @param pids     processes and threads (cgroup {@code pids.max}), 0 for no limit
     */
    public record Resources(int nice, double cpu, long memoryMb, int pids) {

        /** A type's default: a lower priority than main (nice 10), no cgroup limits. */
        public static final Resources DEFAULT = new Resources(10, 0, 0, 0);
        /** Main's priority, no limits: what a renderer gets where nothing could be applied. */
        public static final Resources NONE = new Resources(0, 0, 0, 0);

        /** True when any cgroup limit is set. */
        public boolean limited() {
            return cpu > 0 || memoryMb > 0 || pids > 0;
        }
    }

    public enum RestartPolicy {
        /** A renderer that dies stays gone. */
        NEVER,
        /** A renderer that crashes, is killed, runs out of memory or hangs is started again, with backoff. */
        ON_CRASH
    }

    /** The OS sandbox a type wants for its renderers ({@code sandbox} in its configuration). */
    public enum SandboxPolicy {
        /** None. */
        OFF,
        /** The best this machine has, else none, with a warning at every spawn. */
        AUTO,
        /** A sandbox or no renderer: a spawn fails, naming the fix, where the machine has none. */
        STRICT
    }

    /** Hot deploy: what happens to running renderers when a jar in one of the type's bundle folders is added, replaced or deleted. */
    public enum BundleUpdatePolicy {
        /** The bundle is installed, updated or uninstalled inside each running renderer, which keeps running. */
        UPDATE,
        /** The type's renderers are restarted one at a time and come back with the current bundles. */
        RESTART
    }
}
