package io.cordon.common.rsa;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ConcurrentModificationException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

import org.osgi.framework.ServiceException;

import io.cordon.common.rsa.codec.FailureInfo;

/**
 * Turns a failure that came over the wire back into an exception for the caller. The type name comes
 * from the peer and is never used to load a class: only the method's declared exception types and a
 * fixed list of common JDK runtime exceptions are rebuilt as themselves; anything else becomes a
 * {@link ServiceException} of type {@link ServiceException#REMOTE}. The remote stack travels as the cause.
 */
final class RemoteFailures {

    private static final Map<String, Function<String, RuntimeException>> COMMON = Map.ofEntries(
            Map.entry(IllegalArgumentException.class.getName(), IllegalArgumentException::new),
            Map.entry(IllegalStateException.class.getName(), IllegalStateException::new),
            Map.entry(UnsupportedOperationException.class.getName(), UnsupportedOperationException::new),
            Map.entry(NullPointerException.class.getName(), NullPointerException::new),
            Map.entry(ArithmeticException.class.getName(), ArithmeticException::new),
            Map.entry(IndexOutOfBoundsException.class.getName(), IndexOutOfBoundsException::new),
            Map.entry(ArrayIndexOutOfBoundsException.class.getName(), ArrayIndexOutOfBoundsException::new),
            Map.entry(StringIndexOutOfBoundsException.class.getName(), StringIndexOutOfBoundsException::new),
            Map.entry(ClassCastException.class.getName(), ClassCastException::new),
            Map.entry(NumberFormatException.class.getName(), NumberFormatException::new),
            Map.entry(NoSuchElementException.class.getName(), NoSuchElementException::new),
            Map.entry(ConcurrentModificationException.class.getName(), ConcurrentModificationException::new),
            Map.entry(SecurityException.class.getName(), SecurityException::new));

    private RemoteFailures() {
    }

    static Throwable rebuild(FailureInfo failure, Method method) {
        RemoteStackTrace remote = new RemoteStackTrace(failure);
        Throwable local = declared(failure, method);
        if (local == null) {
            Function<String, RuntimeException> common = COMMON.get(failure.type());
            local = common != null ? common.apply(failure.message())
                    : new ServiceException("remote " + failure.type() + ": " + failure.message(), ServiceException.REMOTE);
        }
        try {
            local.initCause(remote);
        } catch (IllegalStateException e) {
            local.addSuppressed(remote);
        }
        return local;
    }

    /** A checked exception the method declares, rebuilt through its (String) constructor. */
    private static Throwable declared(FailureInfo failure, Method method) {
        for (Class<?> type : method.getExceptionTypes()) {
            if (type.getName().equals(failure.type())) {
                try {
                    Constructor<?> c = type.getConstructor(String.class);
                    return (Throwable) c.newInstance(failure.message());
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The remote side's exception as a cause: its type and message, with the remote stack trace. */
    static final class RemoteStackTrace extends Exception {

        RemoteStackTrace(FailureInfo failure) {
            super("remote " + failure.type() + ": " + failure.message(), null, false, true);
            setStackTrace(failure.stackTrace());
        }
    }
}
