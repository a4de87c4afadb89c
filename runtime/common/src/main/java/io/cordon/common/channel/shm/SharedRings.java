package io.cordon.common.channel.shm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The memory main and one renderer share: a file both map, holding one {@link Ring} per direction. Main
 * creates it (in the renderer's own folder or {@code /dev/shm}) and tells the renderer its path; the pipe
 * stays open as both doorbells and as the death signal (end of stream).
 * <p>
 * <b>The file must be gone before any untrusted code runs in the renderer.</b> A process that can still
 * open it can truncate it, and an access to a truncated mapping is a SIGBUS that the JVM turns into an
 * {@link InternalError} delivered asynchronously, somewhere after the access: nothing here could turn
 * that into a clean protocol violation. So the renderer's bootstrap {@link #openAndRemove opens, maps and
 * removes} the file before it reads its first frame (main removes it too, should the renderer never get
 * that far). Unlinked and closed, the file is out of the renderer's reach: reopening it through
 * {@code /proc/self/map_files} needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the initial user
 * namespace, which a sandboxed renderer never has (checked: with its capabilities dropped, as the sandbox
 * does, the reopen is refused). An unsandboxed renderer of a main running as root has them, so it must
 * use the pipe. A fault, should one come anyway, is delivered to the thread that touched the mapping: the
 * channel's reader and writer threads, which must catch Errors at their top and end the channel.
 * <p>
 * Layout: a header (magic, version, capacity of each ring) on the first page, each ring's control block
 * on a page of its own after it, then the two data areas. Only the header is read by the side that opens
 * the file, once; afterwards each side trusts nothing in the file but what {@link RingReader} and
 * {@link RingWriter} check.
 */
public final class SharedRings {

    /** Which end of the channel: main writes the first ring and reads the second, the renderer the reverse. */
    public enum Side { MAIN, RENDERER }

    static final long MAGIC = 0x434f52444f4e5231L; // "CORDONR1"
    static final int VERSION = 1;
    static final int PAGE = 4096;
    private static final int MAGIC_INDEX = 0;
    private static final int VERSION_INDEX = 8;
    private static final int CAPACITY_INDEX = 12;
    private static final int MAX_CAPACITY = 1 << 28;

    private final Ring toRenderer;
    private final Ring toMain;

    private SharedRings(ByteBuffer memory, int capacity) {
        this.toRenderer = writtenBy(Side.MAIN, memory, capacity);
        this.toMain = writtenBy(Side.RENDERER, memory, capacity);
    }

    /** The ring {@code writer} produces into, in a mapping of the file. */
    static Ring writtenBy(Side writer, ByteBuffer memory, int capacity) {
        return writer == Side.MAIN
                ? new Ring(memory, PAGE, 2 * PAGE, capacity)
                : new Ring(memory, PAGE + Ring.CONTROL_BYTES, 2 * PAGE + capacity, capacity);
    }

    /** Creates and maps a new file at {@code file} (which must not exist) with two rings of {@code capacity} bytes. */
    public static SharedRings create(Path file, int capacity) throws IOException {
        if (Integer.bitCount(capacity) != 1 || capacity < PAGE || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("ring capacity must be a power of two between " + PAGE + " and " + MAX_CAPACITY + " bytes, got " + capacity);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileSize(capacity));
            touch(memory);
            memory.putLong(MAGIC_INDEX, MAGIC).putInt(VERSION_INDEX, VERSION).putInt(CAPACITY_INDEX, capacity);
            return new SharedRings(memory, capacity);
        }
    }

    /**
     * Maps the file main created at {@code file}, after checking that its header describes it, and removes
     * it: from now on only the two mappings reach the memory.
     */
    public static SharedRings openAndRemove(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size < PAGE) {
                throw new IOException(file + " is too small (" + size + " bytes) to be Cordon's shared-memory channel");
            }
            MappedByteBuffer memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            memory.load(); // reads only: main may be writing already
            long magic = memory.getLong(MAGIC_INDEX);
            int version = memory.getInt(VERSION_INDEX);
            int capacity = memory.getInt(CAPACITY_INDEX);
            if (magic != MAGIC || version != VERSION) {
                throw new IOException(file + " is not a version " + VERSION + " Cordon shared-memory channel");
            }
            if (Integer.bitCount(capacity) != 1 || capacity < PAGE || capacity > MAX_CAPACITY || size != fileSize(capacity)) {
                throw new IOException(file + " declares rings of " + capacity + " bytes but holds " + size + " bytes");
            }
            Files.delete(file);
            return new SharedRings(memory, capacity);
        }
    }

    /**
     * Writes every page once, before anyone else can map the file, so that the memory is allocated and mapped
     * now, at spawn, rather than page by page on the first laps of the rings (a page fault costs more than a
     * small call). The side that opens the file {@link MappedByteBuffer#load loads} it.
     */
    private static void touch(MappedByteBuffer memory) {
        for (int page = 0; page < memory.capacity(); page += PAGE) {
            memory.put(page, memory.get(page));
        }
    }

    /** Bytes the file takes for two rings of {@code capacity} bytes each. */
    public static long fileSize(int capacity) {
        return 2L * PAGE + 2L * capacity;
    }

    /**
     * The largest frame a ring of {@code capacity} bytes carries: half the ring, so that the producer can
     * write the next frame while the consumer copies out the previous one.
     */
    public static int maxFrameBytes(int capacity) {
        return capacity / 2 - Integer.BYTES;
    }

    public int capacity() {
        return toMain.capacity();
    }

    /**
     * The consumer of what the peer of {@code side} writes; it parks on {@code doorbell}, the peer's end of
     * the pipe, and accepts frames of at most {@code maxFrameBytes}.
     */
    public RingReader reader(Side side, InputStream doorbell, int maxFrameBytes, AdaptiveIdle idle) {
        return new RingReader(side == Side.MAIN ? toMain : toRenderer, doorbell, maxFrameBytes, idle);
    }

    /**
     * The producer for {@code side}; it rings {@code doorbell}, the pipe to the peer, and gives up with
     * {@link RingStalledException} when the peer leaves it full for {@code stallTimeoutNanos}.
     */
    public RingWriter writer(Side side, OutputStream doorbell, long stallTimeoutNanos, AdaptiveIdle idle) {
        return new RingWriter(side == Side.MAIN ? toRenderer : toMain, doorbell, stallTimeoutNanos, idle);
    }
}
