package io.cordon.itests.health;

/** A DS component (described in XML by {@code RendererHealthIT}) with a mandatory reference nothing satisfies at first. */
public final class Waiter {
}
