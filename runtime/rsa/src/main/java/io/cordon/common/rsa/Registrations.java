package io.cordon.common.rsa;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registrations one bundle made through its RemoteServiceAdmin (a service factory), closed when
 * that bundle ungets the service; Cordon's own topology holds one set too.
 */
final class Registrations {

    private final Set<Registration> open = ConcurrentHashMap.newKeySet();

    void add(Registration registration) {
        open.add(registration);
    }

    void remove(Registration registration) {
        open.remove(registration);
    }

    void closeAll() {
        List.copyOf(open).forEach(Registration::close);
    }
}
