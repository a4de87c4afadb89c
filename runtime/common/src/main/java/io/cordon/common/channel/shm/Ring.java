package io.cordon.common.channel.shm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One single-producer/single-consumer ring in shared memory: a control block of three fields, each on its
 * own cache line, and a data area of {@code capacity} bytes (a power of two) that records wrap around.
 * <ul>
 * <li>{@code tail}: bytes ever published, written by the producer only (release), read by the consumer;</li>
 * <li>{@code head}: bytes ever consumed, written by the consumer only (release), read by the producer;</li>
 * <li>{@code sleeping}: set by the consumer before it parks on the doorbell, cleared by the producer
 * that rings it.</li>
 * </ul>
 * Each side keeps its own position privately and never reads it back: the peer can write any field at
 * any time, so the only values taken from shared memory are the peer's position, the sleeping flag and
 * record bytes, and every one of them is checked by the caller ({@link RingReader}, {@link RingWriter}).
 */
final class Ring {

    /** Records start at multiples of this; a position field is 8-aligned, so accesses to it are atomic. */
    static final int ALIGNMENT = 8;
    static final int CACHE_LINE = 64;
    /** tail, head and sleeping, one cache line each. */
    static final int CONTROL_BYTES = 3 * CACHE_LINE;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer memory;
    private final int tailIndex;
    private final int headIndex;
    private final int sleepingIndex;
    private final int dataIndex;
    private final int capacity;
    private final int mask;

    Ring(ByteBuffer memory, int controlIndex, int dataIndex, int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 2 * CACHE_LINE) {
            throw new IllegalArgumentException("ring capacity must be a power of two of at least " + 2 * CACHE_LINE + " bytes, got " + capacity);
        }
        this.memory = memory;
        this.tailIndex = controlIndex;
        this.headIndex = controlIndex + CACHE_LINE;
        this.sleepingIndex = controlIndex + 2 * CACHE_LINE;
        this.dataIndex = dataIndex;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    int capacity() {
        return capacity;
    }

    long tailVolatile() {
        return (long) LONG.getVolatile(memory, tailIndex);
    }

    /** Volatile, not merely release: the producer reads {@code sleeping} next, and the two must not reorder. */
    void publishTail(long tail) {
        LONG.setVolatile(memory, tailIndex, tail);
    }

    long headAcquire() {
        return (long) LONG.getAcquire(memory, headIndex);
    }

    void publishHead(long head) {
        LONG.setRelease(memory, headIndex, head);
    }

    void sleeping(boolean sleeping) {
        INT.setVolatile(memory, sleepingIndex, sleeping ? 1 : 0);
    }

    boolean sleeping() {
        return (int) INT.getVolatile(memory, sleepingIndex) != 0;
    }

    /** Clears the sleeping flag; true if it was set, that is if the consumer must be woken. */
    boolean takeSleeping() {
        return sleeping() && (int) INT.getAndSet(memory, sleepingIndex, 0) != 0;
    }

    /** Copies {@code length} bytes from ring position {@code position} (wrapping) into {@code target}. */
    void copyOut(long position, byte[] target, int offset, int length) {
        int index = (int) position & mask;
        int first = Math.min(length, capacity - index);
        memory.get(dataIndex + index, target, offset, first);
        if (first < length) {
            memory.get(dataIndex, target, offset + first, length - first);
        }
    }

    /** Copies {@code length} bytes of {@code source} to ring position {@code position} (wrapping). */
    void copyIn(long position, byte[] source, int offset, int length) {
        int index = (int) position & mask;
        int first = Math.min(length, capacity - index);
        memory.put(dataIndex + index, source, offset, first);
        if (first < length) {
            memory.put(dataIndex, source, offset + first, length - first);
        }
    }

    static int align(int bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
