package io.cordon.itests.late.api;

/** An API main lacks when the renderer offers it: installed in main afterwards. */
public interface Late {

    String hello();
}
