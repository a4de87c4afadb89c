package io.cordon.main.log;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.RejectedExecutionException;

import org.junit.Test;
import org.osgi.service.log.LogLevel;

public class ConsoleLogWriterTest {

    @Test
    public void frameworkEventsAreDebugUnlessTheyAreErrors() {
        assertEquals(LogLevel.DEBUG, ConsoleLogWriter.effectiveLevel(LogLevel.INFO, "BundleEvent STARTED", "x", null));
        assertEquals(LogLevel.ERROR, ConsoleLogWriter.effectiveLevel(LogLevel.ERROR, "FrameworkEvent ERROR", "x", null));
        assertEquals(LogLevel.INFO, ConsoleLogWriter.effectiveLevel(LogLevel.INFO, "renderer 1 READY", "io.cordon.main", null));
    }

    @Test
    public void eventAdminsRejectedPostWhileItStopsIsDebugAndNothingElseIs() {
        RejectedExecutionException rejected = new RejectedExecutionException("pool shutting down");
        assertEquals(LogLevel.DEBUG, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, "EventAdmin: Exception: " + rejected,
                "org.apache.felix.eventadmin", rejected));
        assertEquals(LogLevel.WARN, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, "EventAdmin: Exception",
                "org.apache.felix.eventadmin", new IllegalStateException()));
        assertEquals(LogLevel.WARN, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, "rejected", "io.cordon.main", rejected));
    }
}
