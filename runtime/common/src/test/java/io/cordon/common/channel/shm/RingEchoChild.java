package io.cordon.common.channel.shm;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.cordon.common.channel.Frame;

/** The renderer's end in {@link RingProcessTest}: echoes every frame until main closes its stdin. Arg: the ring file. */
public final class RingEchoChild {

    private RingEchoChild() {
    }

    public static void main(String[] args) throws Exception {
        SharedRings rings = SharedRings.openAndRemove(Path.of(args[0]));
        RingReader reader = rings.reader(SharedRings.Side.RENDERER, new FileInputStream(FileDescriptor.in), SharedRings.maxFrameBytes(rings.capacity()), AdaptiveIdle.DEFAULT);
        RingWriter writer = rings.writer(SharedRings.Side.RENDERER, new FileOutputStream(FileDescriptor.out), TimeUnit.SECONDS.toNanos(30), AdaptiveIdle.DEFAULT);
        for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
            writer.write(frame);
        }
    }
}
