package io.cordon.common.channel;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

public class FramingTest {

    private static final int MAX = 1024;

    @Test
    public void frameRoundTrips() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, MAX);
        writer.write(new Frame(FrameType.EXEC, 42, Messages.utf8("lb")));
        writer.write(new Frame(FrameType.PING, 7, new byte[0]));

        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), MAX);
        Frame exec = reader.read();
        assertEquals(FrameType.EXEC, exec.type());
        assertEquals(42, exec.stream());
        assertEquals("lb", Messages.utf8(exec.payload()));
        assertEquals(0, reader.read().payload().length);
        assertNull("clean end of stream between frames", reader.read());
    }

    @Test
    public void largeMessageIsChunkedAndReassembled() throws IOException {
        byte[] message = new byte[10 * MAX + 17];
        new Random(1).nextBytes(message);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new FrameWriter(bytes, MAX).send(FrameType.BUNDLE, 3, message);

        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), MAX);
        MessageAssembler assembler = new MessageAssembler(1 << 20, 4);
        Frame whole = null;
        int frames = 0;
        for (Frame f = reader.read(); f != null; f = reader.read()) {
            frames++;
            whole = assembler.accept(f);
        }
        assertTrue("split into several frames, got " + frames, frames > 10);
        assertArrayEquals(message, whole.payload());
    }

    @Test
    public void oversizedFrameIsRefusedBeforeAllocation() {
        byte[] wire = {0x7f, 0, 0, 0, FrameType.PING, 0, 0, 0, 0, 1};
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new FrameReader(new ByteArrayInputStream(wire), MAX).read());
        assertTrue(e.getMessage(), e.getMessage().contains("exceeds the limit"));
    }

    @Test
    public void lyingLengthIsAProtocolError() {
        byte[] wire = {0, 0, 0, 100, FrameType.PING, 0, 0, 0, 0, 1, 2, 3};
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new FrameReader(new ByteArrayInputStream(wire), MAX).read());
        assertTrue(e.getMessage(), e.getMessage().contains("ended inside a frame"));
    }

    @Test
    public void lengthShorterThanHeaderIsAProtocolError() {
        byte[] wire = {0, 0, 0, 2, 1, 0};
        assertThrows(ProtocolException.class, () -> new FrameReader(new ByteArrayInputStream(wire), MAX).read());
    }

    @Test
    public void assemblerJoinsSmallAndLargeFramesInOrder() throws ProtocolException {
        int[] sizes = {10, 70_000, 5, 5, 100_000, 3};
        MessageAssembler assembler = new MessageAssembler(1 << 20, 4);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Frame whole = null;
        for (int i = 0; i < sizes.length; i++) {
            byte[] part = new byte[sizes[i]];
            Arrays.fill(part, (byte) i);
            expected.writeBytes(part);
            whole = assembler.accept(new Frame(FrameType.BUNDLE, i < sizes.length - 1 ? Frame.MORE : (byte) 0, 1, part));
            assertEquals("complete only at the last frame", i == sizes.length - 1, whole != null);
        }
        assertArrayEquals(expected.toByteArray(), whole.payload());
    }

    @Test
    public void assemblerBoundsMessageSize() throws ProtocolException {
        MessageAssembler assembler = new MessageAssembler(100, 4);
        assembler.accept(new Frame(FrameType.BUNDLE, Frame.MORE, 1, new byte[60]));
        assertThrows(ProtocolException.class, () -> assembler.accept(new Frame(FrameType.BUNDLE, Frame.MORE, 1, new byte[60])));
    }

    @Test
    public void assemblerBoundsOpenMessages() throws ProtocolException {
        MessageAssembler assembler = new MessageAssembler(100, 2);
        assembler.accept(new Frame(FrameType.BUNDLE, Frame.MORE, 1, new byte[1]));
        assembler.accept(new Frame(FrameType.BUNDLE, Frame.MORE, 2, new byte[1]));
        assertThrows(ProtocolException.class, () -> assembler.accept(new Frame(FrameType.BUNDLE, Frame.MORE, 3, new byte[1])));
    }

    @Test
    public void mapsAndBundlesRoundTrip() throws ProtocolException {
        Map<String, String> map = Map.of("org.osgi.framework.storage", "/tmp/x", "ümlaut", "ü");
        assertEquals(map, Messages.map(Messages.map(map)));
        Messages.BundleMessage bundle = new Messages.BundleMessage("cordon:renderer/ü.jar", 3, new byte[] {1, 2, 3});
        Messages.BundleMessage decoded = Messages.BundleMessage.decode(bundle.encode());
        assertEquals(bundle.location(), decoded.location());
        assertEquals(3, decoded.startLevel());
        assertArrayEquals(bundle.jar(), decoded.jar());
    }

    @Test
    public void malformedMapIsAProtocolError() {
        assertThrows(ProtocolException.class, () -> Messages.map(new byte[] {0, 0, 0, 5, 0}));
        assertThrows(ProtocolException.class, () -> Messages.map(new byte[] {(byte) 0xff, 0, 0, 0}));
    }
}
