package io.cordon.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs Gogo commands for scripted use: one command at a time through Gogo's CommandProcessor,
 * printing each result to stdout and each failure to stderr.
 *
 * <p>The launcher lives on the class path, outside OSGi, while Gogo's API lives in the gogo.runtime
 * bundle; reflection through the interfaces that bundle exports avoids exporting Gogo from the class
 * path (which would pin the shell's version to the launcher's).
 */
final class ScriptRunner implements AutoCloseable {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final int INSPECT = 0;
    private static final long PROCESSOR_TIMEOUT_MS = 30_000;

    private final PrintStream out;
    private final PrintStream err;
    private final ServiceTracker<Object, Object> tracker;
    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;

    ScriptRunner(BundleContext context, InputStream in, PrintStream out, PrintStream err)
            throws InterruptedException, ReflectiveOperationException {
        this.out = out;
        this.err = err;
        this.tracker = new ServiceTracker<>(context, PROCESSOR, null);
        tracker.open();
        Object processor = tracker.waitForService(PROCESSOR_TIMEOUT_MS);
        if (processor == null) {
            tracker.close();
            throw new IllegalStateException("Gogo's CommandProcessor did not appear within "
                    + PROCESSOR_TIMEOUT_MS + " ms; is org.apache.felix.gogo.runtime in bundle/ and active?");
        }
        ServiceReference<Object> ref = tracker.getServiceReference();
        Class<?> processorType = ref.getBundle().loadClass(PROCESSOR);
        Class<?> sessionType = ref.getBundle().loadClass(SESSION);
        this.session = processorType.getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                .invoke(processor, in, out, err);
        this.execute = sessionType.getMethod("execute", CharSequence.class);
        this.format = sessionType.getMethod("format", Object.class, int.class);
        this.close = sessionType.getMethod("close");
    }

    /** Runs every command read from {@code script}; returns 0 when all succeeded, else 1. */
    int run(BufferedReader script) throws IOException {
        int status = 0;
        for (String line = script.readLine(); line != null; line = script.readLine()) {
            status |= run(line);
        }
        return status;
    }

    /** Runs the commands of one line (split at top-level {@code ;}); returns 0 when all succeeded, else 1. */
    int run(String line) {
        int status = 0;
        for (String command : CommandSplitter.split(line)) {
            status |= runOne(command);
        }
        return status;
    }

    private int runOne(String command) {
        try {
            Object result = execute.invoke(session, command);
            if (result != null) {
                out.println(format.invoke(session, result, INSPECT));
            }
            out.flush();
            return 0;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            out.flush();
            err.println("cordon: " + command + ": " + (cause.getMessage() != null ? cause.getMessage() : cause));
            return 1;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException e) {
            err.println("cordon: closing the Gogo session failed: " + e);
        } finally {
            tracker.close();
        }
    }
}
