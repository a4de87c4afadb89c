package io.cordon.bench.ipc;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;

import io.cordon.bench.ipc.api.BenchTarget;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.shm.SharedRings;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * The baseline of bench:ipc: a plain child JVM answering frames with the same framing and codec as Cordon
 * (decode the arguments, encode the result), on one thread, without RSA, dispatch or pools. Args: the wire
 * format, then either nothing (frames on stdin/stdout) or the path of the shared-memory file main created
 * (frames in its rings, stdin/stdout as doorbells).
 */
public final class RawEchoChild {

    private RawEchoChild() {
    }

    public static void main(String[] args) throws Exception {
        Codec codec = new Codec(WireFormat.valueOf(args[0]));
        MethodCodec ping = method(codec, "ping");
        MethodCodec echo = method(codec, "echo");
        FileInputStream in = new FileInputStream(FileDescriptor.in);
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        RawLink link = args.length > 1
                ? RawLink.shm(SharedRings.openAndRemove(Path.of(args[1])), SharedRings.Side.RENDERER, in, out)
                : RawLink.pipe(in, out);
        for (Frame message = link.receive(); message != null; message = link.receive()) {
            MethodCodec m = message.type() == 1 ? ping : echo;
            Object[] decoded = m.decodeArguments(message.payload(), 0, message.payload().length);
            link.send(message.type(), message.stream(), m.encodeResult(decoded[0]));
        }
    }

    static MethodCodec method(Codec codec, String name) throws Exception {
        return codec.forInterface(BenchTarget.class).methods().stream().filter(m -> m.method().getName().equals(name))
                .findFirst().orElseThrow(() -> new IOException("no method " + name));
    }
}
