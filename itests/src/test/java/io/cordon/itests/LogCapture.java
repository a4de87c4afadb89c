package io.cordon.itests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Collects the OSGi log from the moment it is opened. A listener, not the reader's history: the
 * history is a small ring buffer that framework events can flush before a test looks.
 */
final class LogCapture implements LogListener, AutoCloseable {

    private final List<LogEntry> entries = new CopyOnWriteArrayList<>();
    private final BundleContext context;
    private final ServiceReference<LogReaderService> reference;
    private final LogReaderService reader;

    LogCapture(BundleContext context) {
        this.context = context;
        this.reference = context.getServiceReference(LogReaderService.class);
        if (reference == null) {
            throw new IllegalStateException("no LogReaderService: is org.apache.felix.log in the distribution?");
        }
        this.reader = context.getService(reference);
        reader.addLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        entries.add(entry);
    }

    /** The first entry at {@code level} whose message contains every fragment, or null. */
    LogEntry find(LogLevel level, String... fragments) {
        return matching(level, fragments).findFirst().orElse(null);
    }

    /** How many entries at {@code level} contain every fragment. */
    long count(LogLevel level, String... fragments) {
        return matching(level, fragments).count();
    }

    /** The messages at {@code level} (any level: null) that contain every fragment. */
    Stream<String> entries(LogLevel level, String... fragments) {
        return matching(level, fragments).map(LogEntry::getMessage);
    }

    private Stream<LogEntry> matching(LogLevel level, String... fragments) {
        return entries.stream().filter(e -> (level == null || e.getLogLevel() == level) && containsAll(e.getMessage(), fragments));
    }

    /** Every warning and error so far, for failure messages (the rest is mostly framework events). */
    String problems() {
        StringBuilder text = new StringBuilder();
        entries.stream()
                .filter(e -> LogLevel.WARN.implies(e.getLogLevel()))
                .forEach(e -> text.append(e.getLogLevel()).append(' ').append(e.getMessage()).append('\n'));
        return text.toString();
    }

    private static boolean containsAll(String message, String... fragments) {
        if (message == null) {
            return false;
        }
        for (String fragment : fragments) {
            if (!message.contains(fragment)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        reader.removeLogListener(this);
        context.ungetService(reference);
    }
}
