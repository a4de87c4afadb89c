package io.cordon.itests.hostile;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Hashtable;
import java.util.concurrent.locks.LockSupport;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.cordon.common.channel.Channel;
import io.cordon.itests.rsa.api.RendererSide;

/**
 * A compromised renderer: Gogo commands (scope {@code hostile}, run through cordon:exec) that write
 * crafted frames on the real channel or raw bytes straight to file descriptor 1, stop reading the
 * channel, flood stderr, or export a service with an absurd timeout.
 */
public class HostileActivator implements BundleActivator {

    private static final byte RSA_RESULT = 34;

    private final java.util.concurrent.atomic.AtomicInteger floodIds = new java.util.concurrent.atomic.AtomicInteger(1_000_000);
    private BundleContext context;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "hostile");
        props.put("osgi.command.function", new String[] {"call", "raw", "flood", "send", "big", "deaf", "mute", "scream",
                "chatter", "print", "slowside", "repeat", "each", "ring"});
        context.registerService(Object.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
    }

    private Channel channel() {
        return context.getService(context.getServiceReference(Channel.class));
    }

    /** An RSA_CALL frame: endpoint handle, method id, argument bytes (base64). */
    public String call(int callId, long handle, int method, String args) throws IOException {
        channel().send((byte) 33, callId, payload(handle, method, Base64.getDecoder().decode(args)));
        return "sent";
    }

    /** A message of any frame type with this payload (base64). */
    public String send(int type, int stream, String payload) throws IOException {
        channel().send((byte) type, stream, Base64.getDecoder().decode(payload));
        return "sent";
    }

    /** {@code count} messages of any frame type on stream 0 with this payload (base64). */
    public String repeat(int count, int type, String payload) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(payload);
        Channel channel = channel();
        for (int i = 0; i < count; i++) {
            channel.send((byte) type, 0, bytes);
        }
        return "sent";
    }

    /** One message of this frame type on stream 0 per payload, each base64, separated by commas. */
    public String each(int type, String payloads) throws IOException {
        Channel channel = channel();
        for (String payload : payloads.split(",")) {
            channel.send((byte) type, 0, Base64.getDecoder().decode(payload));
        }
        return "sent";
    }

    /** One message of {@code mib} MiB of zeros: main holds its frames until the last one, which never comes soon. */
    public String big(int type, int stream, int mib) throws IOException {
        channel().send((byte) type, stream, new byte[mib << 20]);
        return "sent";
    }

    /** Raw bytes (base64) on the channel, bypassing framing. */
    public String raw(String bytes) throws IOException {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        out.write(Base64.getDecoder().decode(bytes));
        out.flush();
        return "written";
    }

    /** {@code count} well-formed calls as fast as the pipe takes them (call ids go on from the last flood). */
    public String flood(int count, long handle, int method, String args) throws IOException {
        byte[] payload = payload(handle, method, Base64.getDecoder().decode(args));
        Channel channel = channel();
        for (int i = 1; i <= count; i++) {
            channel.send((byte) 33, floodIds.incrementAndGet(), payload);
        }
        return "flooded";
    }

    /** Stops reading the channel at main's first answer (its reader thread blocks for good), then floods calls. */
    public String deaf(int count, long handle, int method, String args) throws IOException {
        channel().handle(RSA_RESULT, m -> {
            while (true) {
                LockSupport.park(); // a reader may have been unparked already: park once more, for ever
            }
        });
        return flood(count, handle, method, args);
    }

    /** Frames of this type are read and never answered (RSA_CALL = 33: main's calls hang). */
    public String mute(int type) {
        channel().handle((byte) type, m -> { });
        return "muted";
    }

    /** One stderr line of {@code mib} MiB, straight to file descriptor 2 (Gogo captures System.err). */
    public String scream(int mib) throws IOException {
        OutputStream err = stderr();
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'A');
        for (int i = 0; i < mib; i++) {
            err.write(chunk, 0, chunk.length);
        }
        err.write('\n');
        return "screamed";
    }

    /** {@code lines} short stderr lines as fast as possible. */
    public String chatter(int lines) throws IOException {
        PrintStream err = new PrintStream(stderr(), false, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < lines; i++) {
            err.println("chatter " + i);
        }
        err.flush();
        return "chattered";
    }

    /** Bytes (base64) to stderr as they are: control characters included. */
    public String print(String bytes) throws IOException {
        OutputStream err = stderr();
        err.write(Base64.getDecoder().decode(bytes));
        err.write('\n');
        return "printed";
    }

    private static OutputStream stderr() {
        return new FileOutputStream(FileDescriptor.err);
    }

    /** Exports a RendererSide whose methods never return and which asks main to wait forever (osgi.basic.timeout). */
    public String slowside() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.exported.interfaces", "*");
        props.put("osgi.basic.timeout", Long.MAX_VALUE);
        Object side = Proxy.newProxyInstance(RendererSide.class.getClassLoader(), new Class<?>[] {RendererSide.class}, (p, m, a) -> {
            while (true) {
                LockSupport.park(); // may return at once: the call can run on the channel's reader, which is unparked
            }
        });
        context.registerService(RendererSide.class.getName(), side, props);
        return "exported";
    }

    /**
     * Corrupts the shared memory of the channel (transport=shm), reached by reflection as any code in the
     * renderer could: {@code tail} moves the write position of the ring to main past its capacity,
     * {@code length} publishes a record whose length lies, {@code head} moves the read position of the ring
     * from main past what main wrote. It keeps at it (ringing main's doorbell) for 5 s, since the channel's
     * own threads go on publishing honest positions; main kills the renderer long before.
     */
    public String ring(String attack) throws Exception {
        Object channel = channel();
        while (!channel.getClass().getSimpleName().equals("FramedChannel")) {
            channel = field(channel, "channel"); // the service may be a decorator of the real channel
        }
        Object writer = field(channel, "writer");
        Object toMain = field(writer, "ring");
        Object fromMain = field(field(channel, "source"), "ring");
        int capacity = (int) field(toMain, "capacity");
        FileOutputStream doorbell = new FileOutputStream(FileDescriptor.out);
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            long tail = (long) field(writer, "tail");
            switch (attack) {
                case "tail" -> call(toMain, "publishTail", tail + capacity + 8);
                case "length" -> {
                    byte[] record = ByteBuffer.allocate(10).putInt(Integer.MAX_VALUE).put((byte) 33).put((byte) 0).putInt(1).array();
                    call(toMain, "copyIn", tail, record, 0, record.length);
                    call(toMain, "publishTail", tail + 16);
                }
                case "head" -> call(fromMain, "publishHead", 1L << 40);
                default -> throw new IllegalArgumentException("tail, length or head");
            }
            doorbell.write(1);
            Thread.sleep(1);
        }
        return "main did not notice";
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    private static void call(Object target, String name, Object... args) throws ReflectiveOperationException {
        for (java.lang.reflect.Method m : target.getClass().getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                m.setAccessible(true);
                m.invoke(target, args);
                return;
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static byte[] payload(long handle, int method, byte[] args) {
        return ByteBuffer.allocate(12 + args.length).putLong(handle).putInt(method).put(args).array();
    }
}
