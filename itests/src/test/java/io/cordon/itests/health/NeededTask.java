package io.cordon.itests.health;

/** The service {@link Waiter} needs, provided by a second renderer bundle in {@code RendererHealthIT}. */
public final class NeededTask implements Runnable {
    @Override
    public void run() {
    }
}
