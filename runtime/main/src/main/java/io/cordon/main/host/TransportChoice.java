package io.cordon.main.host;

import java.math.BigInteger;

/**
 * Whether a renderer's channel may run over shared memory. The renderer's bootstrap removes the ring file
 * before any bundle runs, so no bundle can open it again and truncate the memory under main (which would
 * fault in main) — unless the renderer may reopen it through {@code /proc/self/map_files}, which takes
 * CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE. The OS sandbox drops every capability; an unsandboxed renderer
 * inherits main's.
 */
final class TransportChoice {

    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_CHECKPOINT_RESTORE = 40;

    private TransportChoice() {
    }

    /** Why a renderer must use the pipe, or null when the rings are safe for it. */
    static String refusal(boolean sandboxed, boolean privileged) {
        if (!sandboxed && privileged) {
            return "it runs without an OS sandbox while main has CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (main runs as root?), "
                    + "so it could reopen and truncate the shared memory; give the type a sandbox or run main unprivileged";
        }
        return null;
    }

    /** Whether {@code /proc/self/status} text grants CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the effective set. */
    static boolean privileged(String procStatus) {
        return procStatus.lines().filter(line -> line.startsWith("CapEff:")).findFirst()
                .map(line -> new BigInteger(line.substring("CapEff:".length()).trim(), 16))
                .map(caps -> caps.testBit(CAP_SYS_ADMIN) || caps.testBit(CAP_CHECKPOINT_RESTORE))
                .orElse(true);
    }
}
