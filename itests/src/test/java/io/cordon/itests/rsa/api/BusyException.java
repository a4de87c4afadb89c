package io.cordon.itests.rsa.api;

/** A declared checked exception: arrives as itself. */
public class BusyException extends Exception {
    private static final long serialVersionUID = 1L;

    public BusyException(String message) {
        super(message);
    }
}
