package io.cordon.itests;

/** {@link RsaIT}'s suite with the renderers' channel over the pipe (transport=pipe) instead of shared memory. */
public class RsaPipeIT extends RsaIT {

    @Override
    protected String transport() {
        return "pipe";
    }
}
