package io.cordon.common.rsa;

import java.util.function.Consumer;

/**
 * The one shape of Cordon's export and import registrations: linked to a shared {@link Linked}
 * endpoint (or holding the exception that stopped it), closed on its own. After {@link #close()} every
 * method answers {@code null}; a failed one throws {@link IllegalStateException} where the spec says so.
 */
abstract class Registration {

    private final Linked endpoint;
    private final Throwable exception;
    private final Consumer<Registration> closed;
    private volatile boolean isClosed;

    /**
     * @param endpoint  what this registration holds, null when it failed
     * @param exception why it failed, null when it did not
     * @param closed    told once, after close (events, the owning bundle's bookkeeping)
     */
    Registration(Linked endpoint, Throwable exception, Consumer<Registration> closed) {
        this.endpoint = endpoint;
        this.exception = exception;
        this.closed = closed;
    }

    public final Throwable getException() {
        return isClosed ? null : exception;
    }

    public final void close() {
        synchronized (this) {
            if (isClosed) {
                return;
            }
            isClosed = true;
        }
        if (endpoint != null) {
            endpoint.unlink(this);
        }
        closed.accept(this);
    }

    final boolean isClosed() {
        return isClosed;
    }

    final boolean failed() {
        return exception != null;
    }

    /** {@code value} while open, null once closed; a failed registration has none to give. */
    final <T> T live(T value) {
        if (isClosed) {
            return null;
        }
        if (exception != null) {
            throw new IllegalStateException("this registration failed: " + exception.getMessage(), exception);
        }
        return value;
    }

    /** For update: a closed or failed registration cannot be updated (ExportRegistration.update, ImportRegistration.update). */
    final void requireOpen() {
        if (isClosed) {
            throw new IllegalStateException("this registration is closed");
        }
        live(this);
    }
}
