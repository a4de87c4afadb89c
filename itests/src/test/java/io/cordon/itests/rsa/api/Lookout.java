package io.cordon.itests.rsa.api;

import java.util.List;

/**
 * A renderer bundle's view of its framework's services, provided back to main so tests can ask what
 * a renderer bundle (start level 3) sees. Each service found is described as {@code imported} (a raw
 * RSA proxy: it has service.imported) or {@code local}.
 */
public interface Lookout {

    /** What this bundle finds for the interface now (a fresh lookup). */
    List<String> find(String interfaceName);

    /** The same lookup through the system bundle's context, which no hook filters: what the registry holds. */
    List<String> findAsSystemBundle(String interfaceName);

    /** What a ServiceTracker for {@link Echo}, opened when this bundle started, holds now. */
    List<String> tracking();

    /** The first interface of each service whose REGISTERED event this bundle's listener got since it started. */
    List<String> heard();

    /** Calls the preload's curated {@link Shout} service. */
    String shout(String text);
}
