package io.cordon.launcher;

/**
 * What a Ctrl-C does to the command running, decided each time the keyboard watcher looks (on the
 * key, and every poll after it). Gogo needs two helps:
 * <ul>
 * <li>a Ctrl-C typed before Gogo made the command's job (while the line is parsed) waits for it,
 *     rather than being lost;</li>
 * <li>Gogo never ends a job it cancelled before the job's thread started ({@code JobImpl.run} is never
 *     called, so the shell would wait for ever), nor one whose command ignores interrupts. A job still
 *     in the foreground {@link #GRACE_NANOS} after its interrupt, or at a second Ctrl-C, is released:
 *     the prompt comes back, and such a command finishes in the background.</li>
 * </ul>
 * One instance per line run; the key comes from the watcher, SIGINT from JLine's signal thread.
 */
final class CtrlC {

    /** What the watcher does now. */
    enum Action { NONE, INTERRUPT, RELEASE }

    static final long GRACE_NANOS = 1_000_000_000L;

    private boolean pressed;
    private boolean pressedAgain;
    private boolean interrupted;
    private long interruptedAt;

    /** The key was typed (or SIGINT came). */
    synchronized void press() {
        pressedAgain = interrupted;
        pressed = true;
    }

    /**
     * @param now             {@link System#nanoTime()}
     * @param jobInForeground whether Gogo has a job in the foreground now
     */
    synchronized Action next(long now, boolean jobInForeground) {
        if (!jobInForeground) {
            if (interrupted) { // it ended, or was released: this Ctrl-C is done with
                pressed = false;
                pressedAgain = false;
                interrupted = false;
            }
            return Action.NONE; // else the job is not there yet: a Ctrl-C waits for it
        }
        if (!pressed) {
            return Action.NONE;
        }
        if (!interrupted) {
            interrupted = true;
            interruptedAt = now;
            return Action.INTERRUPT;
        }
        return pressedAgain || now - interruptedAt >= GRACE_NANOS ? Action.RELEASE : Action.NONE;
    }
}
