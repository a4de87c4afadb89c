package io.cordon.itests.hotdeploy.api;

/** What the hot-deployed renderer bundle provides back to main; the answer tells which version is running where. */
public interface Greeting {

    String greet();
}
