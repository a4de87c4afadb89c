package io.cordon.common.rsa;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What registrations link to: one exported endpoint or one imported proxy. Every {@code exportService}
 * or {@code importService} call that finds it returns a new {@link Registration} linked to it; it is
 * withdrawn when its last registration closes (RSA 1.1, 122.4).
 */
abstract class Linked {

    private final Set<Registration> registrations = new LinkedHashSet<>();
    private boolean withdrawn;

    /** Links {@code registration} and returns it; null once this endpoint is withdrawn (the caller makes a new one). */
    final synchronized <R extends Registration> R link(R registration) {
        if (withdrawn) {
            return null;
        }
        registrations.add(registration);
        return registration;
    }

    final void unlink(Registration registration) {
        synchronized (this) {
            if (!registrations.remove(registration) || !registrations.isEmpty() || withdrawn) {
                return;
            }
            withdrawn = true;
        }
        withdraw();
    }

    /** Closes every registration linked here, which withdraws this endpoint. */
    final void closeAll() {
        List<Registration> all;
        synchronized (this) {
            all = new ArrayList<>(registrations);
        }
        all.forEach(Registration::close);
    }

    /** The last registration closed: stop offering the endpoint, or unregister the proxy. */
    abstract void withdraw();
}
