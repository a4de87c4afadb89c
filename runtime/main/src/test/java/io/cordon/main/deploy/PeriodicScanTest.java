package io.cordon.main.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/** Polls only while the watch cannot be relied on or a file settles; a request scans once, soon. */
public class PeriodicScanTest {

    @Test
    public void pollsWhileUnwatchedOrSettlingElseOnlyForSafety() {
        assertEquals(500, PeriodicScan.delayMs(500, false, false));
        assertEquals(500, PeriodicScan.delayMs(500, true, true));
        assertEquals(500, PeriodicScan.delayMs(500, false, true));
        assertEquals(PeriodicScan.SAFETY_MS, PeriodicScan.delayMs(500, true, false));
        assertEquals("a poll interval longer than the safety one stays", 60_000, PeriodicScan.delayMs(60_000, true, false));
    }

    @Test
    public void aRequestScansSoonAndEachScanReplacesThePendingOne() throws Exception {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
        try {
            CountDownLatch scanned = new CountDownLatch(1);
            PeriodicScan scan = new PeriodicScan(executor, scanned::countDown, 60_000);
            executor.submit(() -> scan.after(true, true)).get();
            executor.submit(() -> scan.after(true, false)).get();
            assertEquals("one pending scan", 1, executor.getQueue().size());
            scan.request();
            assertTrue(scanned.await(10, TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow();
        }
    }
}
