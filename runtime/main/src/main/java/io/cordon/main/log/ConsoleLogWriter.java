package io.cordon.main.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Writes the OSGi log (Felix Log) of the main framework to stderr, one line per entry, filtered by
 * the framework property {@value #LEVEL_PROPERTY}. stderr keeps stdout free for command output, so a
 * script reading Cordon's stdout sees results only.
 */
@Component(immediate = true, service = {})
public final class ConsoleLogWriter implements LogListener {

    static final String LEVEL_PROPERTY = "cordon.log.level";
    private static final String EVENT_ADMIN = "org.apache.felix.eventadmin";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final LogReaderService reader;
    private final LogLevel threshold;
    private final Bundle framework;

    @Activate
    public ConsoleLogWriter(@Reference LogReaderService reader, BundleContext context) {
        this.reader = reader;
        this.threshold = parseLevel(context.getProperty(LEVEL_PROPERTY));
        this.framework = context.getBundle(0);
        replayHistory();
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    /** Entries logged before this component started (early start-up errors) are not lost. */
    private void replayHistory() {
        List<LogEntry> history = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
            history.add(e.nextElement());
        }
        Collections.reverse(history);
        history.forEach(this::logged);
    }

    @Override
    public void logged(LogEntry entry) {
        if (!threshold.implies(effectiveLevel(entry, framework.getState() == Bundle.STOPPING))) {
            return;
        }
        System.err.println(format(entry));
    }

    static String format(LogEntry entry) {
        StringBuilder line = new StringBuilder(160)
                .append(TIME.format(Instant.ofEpochMilli(entry.getTime()))).append(' ')
                .append(String.format("%-5s", entry.getLogLevel())).append(' ')
                .append('[').append(source(entry)).append("] ")
                .append(entry.getMessage());
        Throwable error = entry.getException();
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        return line.toString();
    }

    static LogLevel effectiveLevel(LogEntry entry, boolean stopping) {
        return effectiveLevel(entry.getLogLevel(), entry.getMessage(), source(entry), entry.getException(), stopping);
    }

    /**
     * The log service turns every framework, bundle and service event into an INFO entry ("BundleEvent
     * STARTED"); they are noise unless debugging, so only their errors pass at other levels. So is the
     * RejectedExecutionException EventAdmin may log while it stops: its log adapter, fed by Felix Log's
     * own thread, can post one more entry after EventAdmin's pool has shut down (a race inside Felix;
     * the event had no one left to deliver it to). And, while the framework stops, its warning that a delivery
     * was interrupted: stopping EventAdmin interrupts its own delivery threads.
     */
    static LogLevel effectiveLevel(LogLevel level, String message, String bundle, Throwable error, boolean stopping) {
        if (level != LogLevel.ERROR && isEvent(message)) {
            return LogLevel.DEBUG;
        }
        boolean eventAdminStopping = error instanceof RejectedExecutionException
                || stopping && message != null && message.contains("Event Task Processing Interrupted");
        return EVENT_ADMIN.equals(bundle) && eventAdminStopping ? LogLevel.DEBUG : level;
    }

    private static boolean isEvent(String message) {
        return message != null
                && (message.startsWith("BundleEvent ") || message.startsWith("ServiceEvent ") || message.startsWith("FrameworkEvent "));
    }

    private static String source(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        return bundle == null || bundle.getSymbolicName() == null ? "-" : bundle.getSymbolicName();
    }

    static LogLevel parseLevel(String value) {
        if (value == null || value.isBlank()) {
            return LogLevel.INFO;
        }
        String name = value.trim().toUpperCase(Locale.ROOT);
        return "WARNING".equals(name) ? LogLevel.WARN : LogLevel.valueOf(name);
    }
}
