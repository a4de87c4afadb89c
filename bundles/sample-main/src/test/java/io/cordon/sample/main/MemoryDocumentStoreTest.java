package io.cordon.sample.main;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.junit.Test;

import io.cordon.sample.api.Document;

public class MemoryDocumentStoreTest {

    private final MemoryDocumentStore store = new MemoryDocumentStore(Map.of("b", "# Bee\ntext\n", "a", "no heading\n"));

    @Test
    public void listsIdsSortedAndTitlesFromTheFirstHeading() {
        assertEquals(List.of("a", "b"), store.list());
        assertEquals("Bee", store.read("b").title());
        assertEquals("a", store.read("a").title());
    }

    @Test
    public void writeReplacesAndDeleteRemoves() {
        Document written = store.write("b", "intro\n  # Second take  \n# Third\n");
        assertEquals("Second take", written.title());
        assertEquals(written, store.read("b"));
        assertTrue(store.delete("b"));
        assertFalse(store.delete("b"));
        NoSuchElementException gone = assertThrows(NoSuchElementException.class, () -> store.read("b"));
        assertTrue(gone.getMessage(), gone.getMessage().contains("sample:docs"));
    }

    @Test
    public void refusesBadIdsAndOversizedDocuments() {
        for (String id : new String[] {null, "", "Upper", "../etc", "-dash", "x".repeat(65)}) {
            assertThrows(String.valueOf(id), IllegalArgumentException.class, () -> store.write(id, "text"));
        }
        String big = "x".repeat(MemoryDocumentStore.MAX_CHARS + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.write("big", big));
        assertTrue(e.getMessage(), e.getMessage().contains("at most " + MemoryDocumentStore.MAX_CHARS));
    }

    @Test
    public void refusesNewDocumentsBeyondTheLimitButStillReplaces() {
        for (int i = store.list().size(); i < MemoryDocumentStore.MAX_DOCUMENTS; i++) {
            store.write("d" + i, "text");
        }
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> store.write("one-more", "text"));
        assertTrue(full.getMessage(), full.getMessage().contains("delete one first"));
        assertEquals("Kept", store.write("a", "# Kept").title());
    }
}
