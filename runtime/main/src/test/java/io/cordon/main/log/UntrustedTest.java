package io.cordon.main.log;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class UntrustedTest {

    @Test
    public void controlCharactersAreEscapedSoNoLineCanBeForged() {
        String forged = "ok\n12:00:00.000 AUDIT [io.cordon.main] bad-message: renderer 9\r\u001b[2K\t\u0000\u007f\\";
        String safe = Untrusted.text(forged, Untrusted.MAX_CHARS);
        assertEquals("ok\\n12:00:00.000 AUDIT [io.cordon.main] bad-message: renderer 9\\r\\u001b[2K\\t\\u0000\\u007f\\\\", safe);
        assertTrue(safe.chars().allMatch(c -> c >= 0x20 && c != 0x7f));
    }

    @Test
    public void unicodeLineSeparatorsAndBidiControlsAreEscaped() {
        assertEquals("a\\u0085b\\u2028c\\u2029d", Untrusted.text("a\u0085b\u2028c\u2029d", 100));
        assertEquals("\\u202ertl\\u202c \\u2066iso\\u2069", Untrusted.text("\u202ertl\u202c \u2066iso\u2069", 100));
        assertEquals("every C1 control", "\\u0080\\u009f", Untrusted.text("\u0080\u009f", 100));
    }

    @Test
    public void ordinaryTextPassesUnchanged() {
        assertEquals("Grüße, 日本, émoji 😀 and \"quotes\"", Untrusted.text("Grüße, 日本, émoji 😀 and \"quotes\"", 100));
    }

    @Test
    public void lengthIsCappedAndSaysHowMuchWasCut() {
        assertEquals("abcde…(5 more chars)", Untrusted.text("abcdefghij", 5));
        assertEquals("abcdefghij", Untrusted.text("abcdefghij", 10));
        String huge = Untrusted.text("x".repeat(1_000_000), Untrusted.MAX_CHARS);
        assertTrue(huge, huge.length() < Untrusted.MAX_CHARS + 32);
        assertTrue(huge, huge.endsWith("…(" + (1_000_000 - Untrusted.MAX_CHARS) + " more chars)"));
    }

    @Test
    public void theCapSplitsNeitherAnEscapeNorASurrogatePair() {
        assertEquals("ab\\n…(1 more chars)", Untrusted.text("ab\nc", 3));
        assertEquals("no lone surrogate", "ab😀…(1 more chars)", Untrusted.text("ab😀c", 3));
    }

    @Test
    public void quotedTextEscapesItsQuotesAndIsCapped() {
        assertEquals("\"say \\\"hi\\\"\\n\"", Untrusted.quote("say \"hi\"\n"));
        String quoted = Untrusted.quote("y".repeat(10_000));
        assertTrue(quoted.startsWith("\"y") && quoted.endsWith(" more chars)\""));
        assertTrue(quoted, quoted.length() < Untrusted.MAX_CHARS + 32);
    }

    @Test
    public void nullIsNullUnquotedSoItDiffersFromTheWordNull() {
        assertEquals("null", Untrusted.text(null, 10));
        assertEquals("null", Untrusted.quote(null));
        assertEquals("\"null\"", Untrusted.quote("null"));
    }
}
