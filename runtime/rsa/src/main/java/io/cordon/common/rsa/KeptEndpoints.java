package io.cordon.common.rsa;

import java.util.HashMap;
import java.util.Map;

import io.cordon.common.channel.ByteBudget;
import io.cordon.common.channel.ProtocolException;

/**
 * The endpoints an untrusted peer exports to this side, bounded: in number, and in bytes, since each
 * announcement stays in memory (its description, its proxy's service properties) for as long as the endpoint
 * is exported. Their {@linkplain EndpointMessage#weight() weight} is charged to the peer's byte budget, so
 * large announcements crowd out only that peer's own messages and calls. And in rate: each announcement
 * registers, modifies or unregisters a proxy in this side's service registry, waking every listener on it,
 * so a peer flapping its exports would keep the framework busy for everyone. Thread-safe.
 */
public final class KeptEndpoints {

    /** Announcements a second a peer may make on average, once its burst (each endpoint added and updated once) is spent. */
    public static final int ANNOUNCEMENTS_PER_SECOND = 64;

    private final int maxEndpoints;
    private final ByteBudget budget;
    private final RateLimiter rate;
    private final Map<Long, Long> weights = new HashMap<>();

    public KeptEndpoints(int maxEndpoints, ByteBudget budget) {
        this.maxEndpoints = maxEndpoints;
        this.budget = budget;
        this.rate = new RateLimiter(ANNOUNCEMENTS_PER_SECOND, 2.0 * maxEndpoints);
    }

    /** Counts one announcement of any kind (added, updated, withdrawn or refused) against the peer's rate. */
    public void count() throws ProtocolException {
        count(System.nanoTime());
    }

    void count(long now) throws ProtocolException {
        if (!rate.tryAcquire(now)) {
            throw new ProtocolException("more than " + ANNOUNCEMENTS_PER_SECOND + " RSA_ENDPOINT announcements a second after a burst of "
                    + 2 * maxEndpoints + " (endpoints flapping)");
        }
    }

    /** An added or updated endpoint is kept; its previous announcement's bytes are given back. */
    public synchronized void keep(EndpointMessage message) throws ProtocolException {
        long handle = message.handle();
        Long before = weights.get(handle);
        if (before == null && weights.size() >= maxEndpoints) {
            throw new ProtocolException("more than " + maxEndpoints + " endpoints announced");
        }
        long weight = message.weight();
        budget.charge(weight - (before == null ? 0 : before), "RSA_ENDPOINT " + handle + ", kept while exported,");
        weights.put(handle, weight);
    }

    /** A withdrawn endpoint: its bytes are given back. */
    public synchronized void removed(long handle) {
        Long weight = weights.remove(handle);
        if (weight != null) {
            budget.release(weight);
        }
    }
}
