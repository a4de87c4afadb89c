package io.cordon.api;

import java.util.List;

/**
 * One entry of a renderer type's preload whitelist: a main service interface a renderer of that type
 * may call, optionally narrowed by an LDAP filter on the service's properties and to some methods.
 * In a type's configuration an entry is written {@code INTERFACE[(FILTER)][#METHOD|METHOD…]}, for
 * example {@code com.example.DocumentStore(store=public)#get|list}.
 *
 * @param service the interface name
 * @param filter  an LDAP filter the service must match, or empty for any
 * @param methods the method names allowed, or empty for every method of the interface
 */
public record WhitelistEntry(String service, String filter, List<String> methods) {

    public WhitelistEntry {
        methods = List.copyOf(methods);
    }

    @Override
    public String toString() {
        return service + filter + (methods.isEmpty() ? "" : "#" + String.join("|", methods));
    }
}
