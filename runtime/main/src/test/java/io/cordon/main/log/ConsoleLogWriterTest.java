package io.cordon.main.log;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.RejectedExecutionException;

import org.junit.Test;
import org.osgi.service.log.LogLevel;

public class ConsoleLogWriterTest {

    @Test
    public void frameworkEventsAreDebugUnlessTheyAreErrors() {
        assertEquals(LogLevel.DEBUG, ConsoleLogWriter.effectiveLevel(LogLevel.INFO, "BundleEvent STARTED", "x", null, false));
        assertEquals(LogLevel.ERROR, ConsoleLogWriter.effectiveLevel(LogLevel.ERROR, "FrameworkEvent ERROR", "x", null, false));
        assertEquals(LogLevel.INFO, ConsoleLogWriter.effectiveLevel(LogLevel.INFO, "renderer 1 READY", "io.cordon.main", null, false));
    }

    @Test
    public void eventAdminsRejectedPostWhileItStopsIsDebugAndNothingElseIs() {
        RejectedExecutionException rejected = new RejectedExecutionException("pool shutting down");
        assertEquals(LogLevel.DEBUG, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, "EventAdmin: Exception: " + rejected,
                "org.apache.felix.eventadmin", rejected, false));
        assertEquals(LogLevel.WARN, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, "EventAdmin: Exception",
                "org.apache.felix.eventadmin", new IllegalStateException(), false));
        assertEquals(LogLevel.WARN, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, "rejected", "io.cordon.main", rejected, false));
    }

    @Test
    public void eventAdminsInterruptedDeliveryIsDebugOnlyWhileTheFrameworkStops() {
        String interrupted = "EventAdmin: Event Task Processing Interrupted. Events may not be received in proper order.";
        assertEquals(LogLevel.DEBUG, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, interrupted, "org.apache.felix.eventadmin", null, true));
        assertEquals(LogLevel.WARN, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, interrupted, "org.apache.felix.eventadmin", null, false));
        assertEquals(LogLevel.WARN, ConsoleLogWriter.effectiveLevel(LogLevel.WARN, interrupted, "io.cordon.main", null, true));
    }
}
