package io.cordon.bench.ipc;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

import io.cordon.bench.ipc.api.BenchTarget;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameReader;
import io.cordon.common.channel.FrameWriter;
import io.cordon.common.channel.MessageAssembler;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * The baseline of bench:ipc: a plain child JVM answering frames on its stdin/stdout with the same
 * framing and codec as Cordon (decode the arguments, encode the result), on one thread, without RSA,
 * dispatch or pools. Args: the wire format.
 */
public final class RawEchoChild {

    private RawEchoChild() {
    }

    public static void main(String[] args) throws Exception {
        Codec codec = new Codec(WireFormat.valueOf(args[0]));
        MethodCodec ping = method(codec, "ping");
        MethodCodec echo = method(codec, "echo");
        FrameReader reader = new FrameReader(new FileInputStream(FileDescriptor.in), 1 << 20);
        FrameWriter writer = new FrameWriter(new FileOutputStream(FileDescriptor.out), 1 << 20);
        MessageAssembler assembler = new MessageAssembler(32 << 20, 4);
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            Frame message = assembler.accept(frame);
            if (message != null) {
                MethodCodec m = message.type() == 1 ? ping : echo;
                Object[] decoded = m.decodeArguments(message.payload(), 0, message.payload().length);
                writer.send(message.type(), message.stream(), m.encodeResult(decoded[0]));
            }
        }
    }

    static MethodCodec method(Codec codec, String name) throws Exception {
        return codec.forInterface(BenchTarget.class).methods().stream().filter(m -> m.method().getName().equals(name))
                .findFirst().orElseThrow(() -> new IOException("no method " + name));
    }
}
