package io.cordon.itests.hostile;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.cordon.common.channel.Channel;

/**
 * A compromised renderer: Gogo commands (scope {@code hostile}, run through cordon:exec) that write
 * crafted frames on the real channel, or raw bytes straight to file descriptor 1.
 */
public class HostileActivator implements BundleActivator {

    private BundleContext context;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "hostile");
        props.put("osgi.command.function", new String[] {"call", "raw", "flood", "frames"});
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

    /** Raw bytes (base64) on the channel, bypassing framing. */
    public String raw(String bytes) throws IOException {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        out.write(Base64.getDecoder().decode(bytes));
        out.flush();
        return "written";
    }

    /** {@code count} well-formed calls as fast as the pipe takes them. */
    public String flood(int count, long handle, int method, String args) throws IOException {
        byte[] payload = payload(handle, method, Base64.getDecoder().decode(args));
        Channel channel = channel();
        for (int i = 1; i <= count; i++) {
            channel.send((byte) 33, 1_000_000 + i, payload);
        }
        return "flooded";
    }

    /** {@code count} frames of any type on stream 0 with this payload (base64). */
    public String frames(int count, int type, String payload) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(payload);
        Channel channel = channel();
        for (int i = 0; i < count; i++) {
            channel.send((byte) type, 0, bytes);
        }
        return "sent";
    }

    private static byte[] payload(long handle, int method, byte[] args) {
        return ByteBuffer.allocate(12 + args.length).putLong(handle).putInt(method).put(args).array();
    }
}
