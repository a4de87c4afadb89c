package io.cordon.common.channel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes one side may hold for its peer at once (messages still arriving, calls waiting for a
 * thread); thread-safe. A charge that would pass the limit is refused, never partly taken: the owner
 * decides what refusal means (for a renderer in main: a bad-message kill naming the budget).
 */
public final class ByteBudget {

    private final String name;
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /**
     * @param name  names the budget in errors, e.g. "its buffer budget (buffer.mb = 64)"
     * @param limit bytes; Long.MAX_VALUE for none
     */
    public ByteBudget(String name, long limit) {
        this.name = name;
        this.limit = limit;
    }

    public static ByteBudget unlimited() {
        return new ByteBudget("no budget", Long.MAX_VALUE);
    }

    /** Takes {@code bytes} if they fit under the limit; false (and nothing taken) otherwise. */
    public boolean tryCharge(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Takes {@code bytes} or throws the protocol violation that names this budget. */
    public void charge(long bytes, String what) throws ProtocolException {
        if (!tryCharge(bytes)) {
            throw new ProtocolException(what + " (" + bytes + " bytes) exceeds " + name + ": " + used.get()
                    + " of " + limit + " bytes in use");
        }
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
