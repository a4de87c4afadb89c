package io.cordon.common.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one channel implementation both sides run over a pair of streams (a renderer's stdin/stdout).
 *
 * <p><b>Sending never blocks the caller.</b> {@link #send} puts the message on this channel's own
 * bounded queue (counted in bytes) and returns; one writer thread per channel drains it. So a peer that
 * stops reading blocks only its own writer: {@link #stalledMs()} tells for how long, and the owner
 * decides when that is too long. A full queue refuses the message at once.
 *
 * <p><b>Messages start in the order they were sent</b>, and a large message does not hold up small RSA
 * traffic: while one is being written chunk by chunk, the single-frame calls, results and cancels
 * queued right behind it go out between its chunks. Everything else waits its turn (a START never
 * overtakes the BUNDLEs before it). The writer has at most one chunked message open at a time, so the
 * peer never has to buffer more than one of ours.
 *
 * <p><b>Few hand-offs.</b> When the writer has nothing queued and the transport cannot block (a
 * shared-memory ring with room), the sending thread writes its message itself. A handler may serve a
 * message on the reader thread ({@link #runOnReader}); should it take long, another thread reads on.
 *
 * <p><b>The reader loop owns every failure:</b> whatever a handler throws while handling a peer's message
 * is reported to the owner as a violation, never lost with the thread.
 */
public final class FramedChannel implements Channel {

    /** Sizes of one channel. {@code maxQueuedBytes} bounds the outbound queue; one message larger than it still goes alone. */
    public record Limits(int maxFrameBytes, int maxMessageBytes, int maxOpenMessages, long maxQueuedBytes) {
    }

    /** What the channel tells its owner; called on the reader thread (on the writer's for a fault of the transport it writes to). */
    public interface Owner {
        /** The peer broke the protocol, or handling its message failed; nothing more is read. */
        void violation(String what);

        /** The peer closed the channel ({@code cause} null) or reading failed. */
        void ended(IOException cause);

        /** A handler threw an Error (out of memory, a linkage error); nothing more is read. */
        void error(Error error);
    }

    private record Outgoing(byte type, int stream, byte[] message) {
    }

    /** Bytes waiting to be read up to which the reader still serves a message itself: a few small calls. */
    static final long SERVE_HERE_MAX_WAITING = 4096;

    /** Not a message: tells the writer to wake the peer. */
    private static final Outgoing BELL = new Outgoing((byte) 0, 0, new byte[0]);

    private final String name;
    private final FrameSource source;
    private final FrameSink writer;
    private final Thread writerThread;
    private final Limits limits;
    private final Owner owner;
    private final MessageRoutes routes = new MessageRoutes();
    private final MessageAssembler assembler;
    private final ReaderRelay relay;
    private volatile MessageHandler unhandled;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private long queuedBytes;
    /** Messages the writer has taken from the queue and not finished writing. */
    private int inWriter;
    /** A message was written by its sender while the peer slept: the writer must wake it. */
    private boolean bell;
    private volatile boolean trustedPeer;
    private volatile boolean closed;
    private volatile long writingSinceNanos;
    private volatile boolean stopReading;

    /**
     * @param name    names the peer in errors ("renderer 3", "main")
     * @param inbound the budget that bytes of unfinished incoming messages are charged to
     */
    public FramedChannel(String name, InputStream in, OutputStream out, Limits limits, ByteBudget inbound, Owner owner) {
        this(name, new FrameReader(in, limits.maxFrameBytes()), new FrameWriter(out, limits.maxFrameBytes()), limits, inbound, owner);
    }

    /** A channel over any transport, such as shared-memory rings; {@code limits.maxFrameBytes} must match what {@code source} accepts. */
    public FramedChannel(String name, FrameSource source, FrameSink sink, Limits limits, ByteBudget inbound, Owner owner) {
        this.name = name;
        this.source = source;
        this.writer = sink;
        this.limits = limits;
        this.owner = owner;
        this.assembler = new MessageAssembler(limits.maxMessageBytes(), limits.maxOpenMessages(), inbound);
        this.relay = new ReaderRelay(name, this::read);
        this.writerThread = new Thread(this::writeLoop, "cordon-" + name.replace(' ', '-') + "-writer");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    // ---- sending ----

    /** Queues a message of any size; throws at once when the channel is closed or its queue is full. */
    @Override
    public void send(byte type, int stream, byte[] message) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the channel to " + name + " is closed");
            }
            if (writerIdle() && writtenNow(type, stream, message)) {
                return;
            }
            if (!fits(message.length)) {
                throw new ChannelFullException(name + " is not reading its channel: " + queuedBytes
                        + " bytes are waiting (limit " + limits.maxQueuedBytes() + ")");
            }
            enqueue(new Outgoing(type, stream, message));
        } finally {
            lock.unlock();
        }
    }

    private boolean writerIdle() {
        return queue.isEmpty() && inWriter == 0;
    }

    /**
     * The sending thread writes a one-frame message itself when the writer has nothing before it and the
     * transport takes it without blocking (a shared-memory ring with room): no hand-off to the writer
     * thread, whose wake-up would cost more than the write. Waking a sleeping peer (a pipe write, which
     * may block) is still left to the writer. Anything unusual (a corrupted ring, a fault on its memory)
     * falls back to the queue, so the writer meets it and reports it as it does every transport fault.
     */
    private boolean writtenNow(byte type, int stream, byte[] message) {
        try {
            if (!writer.tryWriteNow(type, (byte) 0, stream, message, 0, message.length)) {
                return false;
            }
        } catch (IOException | InternalError e) {
            return false;
        }
        if (writer.peerSleeps()) {
            if (trustedPeer || writer.wakesWithoutBlocking()) {
                wakeNow();
            } else {
                bell = true;
                work.signal();
            }
        }
        return true;
    }

    /**
     * The sender wakes the peer itself: over a doorbell that never blocks, or a trusted peer's, whose full
     * doorbell would make only this side's own thread wait.
     */
    private void wakeNow() {
        try {
            writer.flush();
        } catch (IOException e) {
            bell = true; // the writer meets the broken doorbell and ends the channel
            work.signal();
        }
    }

    /**
     * The peer is trusted (a renderer's channel to main): a sender that wrote into the ring itself also rings
     * the peer's doorbell, sparing the wake-up of this side's writer thread. Never on main's side, where a
     * shared thread must not wait on a renderer's pipe.
     */
    public FramedChannel wakingTrustedPeer() {
        trustedPeer = true;
        return this;
    }

    /**
     * Queues a message, waiting up to {@code timeoutMs} for room. Only a thread that serves this one peer
     * may wait here (its launch thread feeding it bundles), never a thread other peers share.
     */
    public void sendWhenRoom(byte type, int stream, byte[] message, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (!closed && !fits(message.length)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ChannelFullException(name + " did not read " + queuedBytes + " queued bytes within " + timeoutMs + " ms");
                }
                room.awaitNanos(left);
            }
            if (closed) {
                throw new IOException("the channel to " + name + " is closed");
            }
            enqueue(new Outgoing(type, stream, message));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to send to " + name, e);
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(int bytes) {
        return queuedBytes == 0 || queuedBytes + bytes <= limits.maxQueuedBytes();
    }

    private void enqueue(Outgoing message) {
        queue.add(message);
        queuedBytes += message.message().length;
        work.signal();
    }

    /** How long the writer has been blocked writing to the peer, 0 when it is not writing. */
    public long stalledMs() {
        long since = writingSinceNanos;
        return since == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** Bytes queued for the peer and not yet written. */
    public long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        Outgoing current = null;
        int offset = 0;
        try {
            while (true) {
                Outgoing next = next(current != null);
                if (closed) {
                    return;
                }
                if (next == BELL) {
                    flushBell();
                    continue;
                }
                if (next != null && fitsOneFrame(next)) {
                    write(next.type(), (byte) 0, next.stream(), next.message(), 0, next.message().length);
                    sent(next.message().length);
                    continue;
                }
                if (next != null) {
                    current = next;
                    offset = 0;
                }
                int length = Math.min(writer.chunkBytes(), current.message().length - offset);
                boolean more = offset + length < current.message().length;
                write(current.type(), more ? Frame.MORE : 0, current.stream(), current.message(), offset, length);
                offset += length;
                if (!more) {
                    sent(current.message().length);
                    current = null;
                }
            }
        } catch (ProtocolException e) {
            // A shared-memory ring the peer corrupted (its read position); a pipe never says this.
            owner.violation(e.getMessage());
        } catch (IOException e) {
            // The peer is gone or its pipe broke; the reader sees the end and tells the owner.
        } catch (InternalError e) {
            // A fault on shared memory the peer truncated lands on the thread that touched it (see SharedRings).
            owner.error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutWriter();
        }
    }

    /**
     * The next message to start: the head of the queue, waiting for one when idle. While a large message
     * is in progress, only a single-frame RSA call, result or cancel at the head may go first (null: go
     * on with the large one).
     */
    private Outgoing next(boolean largeInProgress) throws InterruptedException, IOException {
        lock.lock();
        try {
            while (!largeInProgress && queue.isEmpty() && !closed) {
                if (bell) {
                    bell = false;
                    return BELL;
                }
                flushUnlocked();
                // The lock was released to flush: a message may have come (and signalled) meanwhile.
                if (queue.isEmpty() && !closed && !bell) {
                    work.await();
                }
            }
            Outgoing head = queue.peek();
            if (head != null && (!largeInProgress || (fitsOneFrame(head) && overtakes(head.type())))) {
                inWriter++;
                return queue.poll();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the peer for a message its sender wrote itself ({@link #writtenNow}). */
    private void flushBell() throws IOException {
        writingSinceNanos = System.nanoTime();
        try {
            writer.flush();
        } finally {
            writingSinceNanos = 0;
        }
    }

    private boolean fitsOneFrame(Outgoing message) {
        return message.message().length <= writer.chunkBytes();
    }

    /** RSA calls, results and cancels are independent of one another and may pass a large message. */
    private static boolean overtakes(byte type) {
        return type == FrameType.RSA_CALL || type == FrameType.RSA_RESULT || type == FrameType.RSA_CANCEL;
    }

    /** Flushes while holding the queue lock only when the queue is empty: nobody waits to enqueue behind it for long. */
    private void flushUnlocked() throws IOException {
        lock.unlock();
        try {
            writingSinceNanos = System.nanoTime();
            writer.flush();
        } finally {
            writingSinceNanos = 0;
            lock.lock();
        }
    }

    private void write(byte type, byte flags, int stream, byte[] message, int offset, int length) throws IOException {
        writingSinceNanos = System.nanoTime();
        try {
            writer.writeUnflushed(type, flags, stream, message, offset, length);
        } finally {
            writingSinceNanos = 0;
        }
    }

    private void sent(int bytes) {
        lock.lock();
        try {
            inWriter--;
            queuedBytes -= bytes;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void shutWriter() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            queuedBytes = 0;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.close();
        } catch (IOException e) {
            // the pipe is already broken: nothing left to flush
        }
    }

    /**
     * Stops sending, once the peer is gone: what is still queued is dropped and the writer closes the stream.
     * A writer waiting for room in a ring the peer will never read again is interrupted, so it ends now rather
     * than at the ring's stall timeout (a minute), and with it what it holds.
     */
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        writerThread.interrupt();
    }

    // ---- receiving ----

    @Override
    public void handle(byte type, MessageHandler handler) {
        routes.set(type, handler);
    }

    /** True when a handler for {@code type} is set. */
    public boolean handles(byte type) {
        return routes.get(type) != null;
    }

    /** Makes the reader loop drop everything after the frame being handled (the peer is being killed). */
    public void stopReading() {
        stopReading = true;
    }

    /**
     * Reads and dispatches until the stream ends, the peer breaks the protocol, or a handler fails;
     * tells the owner which, exactly once. Runs on the calling thread (and on the threads that take over
     * from it, see {@link #runOnReader}), returning when reading has ended; {@code unhandled} gets messages
     * no handler is set for (it may throw ProtocolException).
     */
    public void readLoop(MessageHandler unhandled) {
        this.unhandled = unhandled;
        relay.claim();
        read();
        relay.awaitEnd();
    }

    /**
     * Runs {@code task} on the calling thread when that is this channel's reader (a handler) and little
     * more is waiting to be read (a few calls' worth), sparing the wake-up of another thread; should the
     * task take long, another thread reads on meanwhile. False, doing nothing, on any other thread or while
     * the peer's messages pile up: the reader then keeps reading, and a flood is seen at the rate it comes.
     */
    @Override
    public boolean runOnReader(Runnable task) {
        if (!relay.isReader()) {
            return false; // and the source is the reader's alone: asking it from another thread could block
        }
        long waiting = source.waitingBytes();
        return waiting >= 0 && waiting <= SERVE_HERE_MAX_WAITING && relay.runHere(task);
    }

    private void read() {
        Frame message = null;
        try {
            for (Frame frame = source.read(); frame != null && !stopReading; frame = source.read()) {
                message = assembler.accept(frame);
                if (message != null) {
                    MessageHandler handler = routes.get(message.type());
                    (handler != null ? handler : unhandled).onMessage(message);
                    if (!relay.isReader()) {
                        return; // a thread took over while this one served a slow message
                    }
                }
            }
            owner.ended(null);
        } catch (ProtocolException e) {
            owner.violation(e.getMessage());
        } catch (IOException e) {
            owner.ended(e);
        } catch (RuntimeException e) {
            owner.violation("handling " + message + " failed: " + e);
        } catch (Error e) {
            owner.error(e);
        } finally {
            if (relay.isReader()) {
                close();
                relay.end();
            }
        }
    }

    /** The outbound queue is full: the peer is not reading what it is sent. */
    public static final class ChannelFullException extends IOException {
        private static final long serialVersionUID = 1L;

        public ChannelFullException(String message) {
            super(message);
        }
    }
}
