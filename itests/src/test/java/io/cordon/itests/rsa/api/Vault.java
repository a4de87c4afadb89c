package io.cordon.itests.rsa.api;

/** A remotable main service no test renderer type whitelists. */
public interface Vault {

    String open();
}
