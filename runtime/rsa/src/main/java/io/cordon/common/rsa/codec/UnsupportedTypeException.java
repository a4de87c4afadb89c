package io.cordon.common.rsa.codec;

/**
 * An interface cannot be remoted: one of its methods uses a type the wire does not carry. Thrown at
 * export/import time, never during a call. The message names the interface, the method signature and
 * the offending type (with the path to it, e.g. a DTO field) and says what is supported.
 */
public final class UnsupportedTypeException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnsupportedTypeException(String message) {
        super(message);
    }
}
