package io.cordon.common.rsa.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import io.cordon.common.rsa.codec.FailureInfo.StackFrame;

/** Failures travel as a bounded {@link FailureInfo}: type, message and stack, never the exception object. */
@RunWith(Parameterized.class)
public class FailureCodingTest {

    @Parameters(name = "{0}")
    public static List<WireFormat> formats() {
        return List.of(WireFormat.values());
    }

    private final Codec codec;

    public FailureCodingTest(WireFormat format) {
        codec = new Codec(format);
    }

    private FailureInfo roundTrip(Throwable t) throws Exception {
        byte[] wire = codec.encodeFailure(t);
        return codec.decodeFailure(wire, 0, wire.length);
    }

    @Test
    public void typeMessageAndStackRoundTrip() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom: ünïcödé ✓");
        FailureInfo f = roundTrip(boom);
        assertEquals(IllegalStateException.class.getName(), f.type());
        assertEquals("boom: ünïcödé ✓", f.message());
        StackTraceElement[] sent = boom.getStackTrace();
        StackTraceElement[] received = f.stackTrace();
        assertEquals(Math.min(sent.length, FailureInfo.MAX_FRAMES), received.length);
        for (int i = 0; i < received.length; i++) { // class loader and module names do not travel
            assertArrayEquals(new Object[] {sent[i].getClassName(), sent[i].getMethodName(), sent[i].getFileName(), sent[i].getLineNumber()},
                    new Object[] {received[i].getClassName(), received[i].getMethodName(), received[i].getFileName(), received[i].getLineNumber()});
        }
        assertEquals(boom.getStackTrace()[0].getMethodName(), f.stack().get(0).methodName());
    }

    @Test
    public void nullMessageAndEmptyStack() throws Exception {
        RuntimeException bare = new RuntimeException((String) null);
        bare.setStackTrace(new StackTraceElement[0]);
        FailureInfo f = roundTrip(bare);
        assertNull(f.message());
        assertEquals(List.of(), f.stack());
        assertEquals(0, f.stackTrace().length);
    }

    @Test
    public void nativeAndUnknownFrames() throws Exception {
        RuntimeException e = new RuntimeException("x");
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement("a.B", "run", null, -2), new StackTraceElement("a.C", "call", "C.java", -1)});
        FailureInfo f = roundTrip(e);
        assertEquals(List.of(new StackFrame("a.B", "run", null, -2), new StackFrame("a.C", "call", "C.java", -1)), f.stack());
        assertTrue(f.stackTrace()[0].isNativeMethod());
    }

    @Test
    public void longMessagesAreTruncated() throws Exception {
        String message = "m".repeat(100 * 1024);
        FailureInfo f = roundTrip(new RuntimeException(message));
        assertTrue(f.message().length() <= FailureInfo.MAX_MESSAGE_CHARS);
        assertTrue(f.message().length() > FailureInfo.MAX_MESSAGE_CHARS - 20);
        assertTrue(f.message().startsWith("m".repeat(8000)));
        assertTrue(f.message(), f.message().endsWith("[truncated]"));
    }

    @Test
    public void truncationDoesNotSplitASurrogatePair() {
        String emoji = "😀".repeat(FailureInfo.MAX_MESSAGE_CHARS);
        String cut = FailureInfo.from(new RuntimeException(emoji)).message();
        assertTrue(cut.length() <= FailureInfo.MAX_MESSAGE_CHARS);
        String kept = cut.substring(0, cut.indexOf('…'));
        assertEquals(0, kept.length() % 2);
        assertTrue(Character.isLowSurrogate(kept.charAt(kept.length() - 1)));
    }

    @Test
    public void deepStacksAreCut() throws Exception {
        RuntimeException e = new RuntimeException("deep");
        StackTraceElement[] frames = new StackTraceElement[1000];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new StackTraceElement("a.B" + i, "m" + i, "B.java", i);
        }
        e.setStackTrace(frames);
        FailureInfo f = roundTrip(e);
        assertEquals(FailureInfo.MAX_FRAMES, f.stack().size());
        assertEquals(new StackFrame("a.B0", "m0", "B.java", 0), f.stack().get(0));
        assertEquals("a.B63", f.stack().get(63).className());
    }

    @Test
    public void longNamesAreTruncated() throws Exception {
        RuntimeException e = new RuntimeException("x");
        String longName = "a".repeat(5_000);
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement(longName, longName, longName, 1)});
        StackFrame frame = roundTrip(e).stack().get(0);
        assertTrue(frame.className().length() <= FailureInfo.MAX_FRAME_CHARS);
        assertTrue(frame.methodName().length() <= FailureInfo.MAX_FRAME_CHARS);
        assertTrue(frame.fileName().length() <= FailureInfo.MAX_FRAME_CHARS);
        assertEquals(FailureInfo.MAX_TYPE_CHARS, FailureInfo.truncate("T".repeat(600), FailureInfo.MAX_TYPE_CHARS).length());
    }

    @Test
    public void aThrowingGetMessageStillEncodes() throws Exception {
        RuntimeException hostile = new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new IllegalStateException("no message for you");
            }
        };
        assertTrue(roundTrip(hostile).message().contains("getMessage() threw java.lang.IllegalStateException"));
    }

    /** What our encoder never sends, a peer may: the decoder refuses failures beyond the bounds. */
    @Test
    public void theDecoderRefusesFailuresBeyondTheBounds() throws Exception {
        List<StackFrame> tooMany = new ArrayList<>();
        for (int i = 0; i <= FailureInfo.MAX_FRAMES; i++) {
            tooMany.add(new StackFrame("a.B", "m", null, i));
        }
        FailureInfo[] oversized = {
            new FailureInfo("T".repeat(FailureInfo.MAX_TYPE_CHARS + 1), "m", List.of()),
            new FailureInfo("T", "m".repeat(FailureInfo.MAX_MESSAGE_CHARS + 1), List.of()),
            new FailureInfo("T", "m", tooMany),
            new FailureInfo("T", "m", List.of(new StackFrame("a".repeat(FailureInfo.MAX_FRAME_CHARS + 1), "m", null, 1))),
            new FailureInfo("T", "m", List.of(new StackFrame("a.B", null, null, 1))),
            new FailureInfo(null, "m", List.of()),
        };
        for (FailureInfo f : oversized) {
            byte[] wire = codec.encode(f); // a protocol record: encodes as is, unbounded
            try {
                codec.decodeFailure(wire, 0, wire.length);
                fail("accepted " + f.type().length() + "/" + f.stack().size());
            } catch (WireFormatException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().startsWith("failure: "));
            } catch (NullPointerException npe) {
                fail("NPE for " + f);
            }
        }
    }
}
