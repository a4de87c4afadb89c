package io.cordon.main.host;

import io.cordon.api.GoneReason;

/** Decides why a renderer is gone from what main saw; the first matching rule wins. */
final class GoneClassifier {

    /** 128 + SIGKILL, as Java reports a process killed by signal 9. */
    static final int SIGKILL_STATUS = 137;

    private GoneClassifier() {
    }

    /** What main knew when the process exited. */
    record Facts(int exitCode, boolean everReady, boolean launchFailed, boolean badMessage, boolean unresponsiveKill,
                 boolean killRequested, boolean stopRequested, boolean outOfMemory) {
    }

    static GoneReason classify(Facts f) {
        if (f.badMessage()) {
            return GoneReason.BAD_MESSAGE;
        }
        if (f.launchFailed() || (!f.everReady() && !f.killRequested() && !f.stopRequested())) {
            return GoneReason.LAUNCH_FAILED;
        }
        if (f.unresponsiveKill()) {
            return GoneReason.UNRESPONSIVE;
        }
        if (f.outOfMemory()) {
            return GoneReason.OOM;
        }
        if (f.killRequested() || f.exitCode() == SIGKILL_STATUS) {
            return GoneReason.KILLED;
        }
        return f.exitCode() == 0 ? GoneReason.CLEAN_EXIT : GoneReason.CRASHED;
    }
}
