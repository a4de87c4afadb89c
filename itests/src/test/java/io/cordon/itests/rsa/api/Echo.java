package io.cordon.itests.rsa.api;

/** A main service renderers call (whitelisted in the tests' renderer types). */
public interface Echo {

    String echo(String text);

    Line stretch(Line line, int dx);

    /** Not whitelisted in the tests: a renderer calling it is a bad message. */
    String secret();
}
