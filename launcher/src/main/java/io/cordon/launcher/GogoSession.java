package io.cordon.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One Gogo session of the main framework, driven from the launcher: runs a command, formats its
 * result, lists the commands, interrupts the command running.
 *
 * <p>The launcher lives on the class path, outside OSGi, while Gogo's API lives in the gogo.runtime
 * bundle; reflection through the interfaces that bundle exports avoids exporting Gogo from the class
 * path (which would pin the shell's version to the launcher's).
 */
final class GogoSession implements AutoCloseable {

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final String JOB = "org.apache.felix.service.command.Job";
    private static final int INSPECT = 0;
    private static final long PROCESSOR_TIMEOUT_MS = 30_000;

    private final ServiceTracker<Object, Object> tracker;
    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method get;
    private final Method foregroundJob;
    private final Method interruptJob;
    private final Method backgroundJob;
    private final Method close;
    private volatile boolean released;

    GogoSession(BundleContext context, InputStream in, OutputStream out, OutputStream err)
            throws InterruptedException, ReflectiveOperationException {
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
        this.get = sessionType.getMethod("get", String.class);
        this.foregroundJob = sessionType.getMethod("foregroundJob");
        this.interruptJob = ref.getBundle().loadClass(JOB).getMethod("interrupt");
        this.backgroundJob = ref.getBundle().loadClass(JOB).getMethod("background");
        this.close = sessionType.getMethod("close");
    }

    /**
     * Runs one command; its failure is thrown as Gogo threw it (not wrapped). A command whose job
     * {@link #releaseForegroundJob} let go fails as interrupted.
     */
    Object execute(String command) throws Exception {
        releaseStaleForeground();
        released = false;
        Object result;
        try {
            result = execute.invoke(session, command);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (released) {
            throw new InterruptedException("interrupted");
        }
        return result;
    }

    /** The result as Gogo's shell would print it. */
    String format(Object result) {
        return String.valueOf(call(format, result, INSPECT));
    }

    /** Every command, as {@code scope:function}. */
    Set<String> commands() {
        Set<String> names = new TreeSet<>();
        if (call(get, ".commands") instanceof Collection<?> commands) {
            commands.forEach(c -> names.add(String.valueOf(c)));
        }
        return names;
    }

    /**
     * Commands run here one at a time, so a job still in the foreground now is stale: Gogo leaves an
     * interrupted job there, and the next command would fail with "A job is already in foreground".
     */
    private void releaseStaleForeground() throws ReflectiveOperationException {
        Object stale = call(foregroundJob);
        if (stale != null) {
            background(stale);
        }
    }

    /** Whether a command's job is in the foreground now. */
    boolean hasForegroundJob() {
        return call(foregroundJob) != null;
    }

    /** Interrupts the command running in this session (Ctrl-C), if one is. */
    void interruptForegroundJob() {
        Object job = call(foregroundJob);
        if (job != null) {
            try {
                interruptJob.invoke(job);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot interrupt the Gogo job: " + e, e);
            }
        }
    }

    /** Lets the command running go on in the background and {@link #execute} return; see {@link CtrlC}. */
    void releaseForegroundJob() {
        Object job = call(foregroundJob);
        if (job != null) {
            released = true;
            try {
                background(job);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot release the Gogo job: " + e, e);
            }
        }
    }

    private void background(Object job) throws ReflectiveOperationException {
        try {
            backgroundJob.invoke(job);
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof IllegalStateException)) {
                throw e;
            } // "Job is finished": it ended meanwhile, which is what was wanted
        }
    }

    private Object call(Method method, Object... args) {
        try {
            return method.invoke(session, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Gogo session call " + method.getName() + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException e) {
            // the framework is stopping and took Gogo with it: nothing left to close
        } finally {
            tracker.close();
        }
    }
}
