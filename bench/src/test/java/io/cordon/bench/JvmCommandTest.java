package io.cordon.bench;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

public class JvmCommandTest {

    private static final List<String> RENDERER = List.of("/jdk/bin/java", "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.io.tmpdir=/data/renderers/3/tmp", "-XX:+UseSerialGC", "-Xss512k",
            "-XX:SharedArchiveFile=/data/renderer-runtime/class-data/renderer-1.jsa", "-cp", "a.jar:b.jar", "io.cordon.renderer.boot.RendererBoot");

    @Test
    public void keepsJavaAndOptionsBeforeTheClassPath() {
        JvmCommand jvm = JvmCommand.parse(RENDERER);
        assertEquals("/jdk/bin/java", jvm.java());
        assertEquals(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/data/renderers/3/tmp",
                "-XX:+UseSerialGC", "-Xss512k", "-XX:SharedArchiveFile=/data/renderer-runtime/class-data/renderer-1.jsa"),
                jvm.options());
    }

    @Test
    public void launchesWithItsOwnTmpdirAndClassPathWithoutTheRenderersArchive() {
        List<String> cmd = JvmCommand.parse(RENDERER).launch(Path.of("/w/tmp"), List.of(Path.of("/f.jar"), Path.of("/b.jar")),
                "Main", List.of("x"));
        assertEquals(List.of("/jdk/bin/java", "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/w/tmp",
                "-XX:+UseSerialGC", "-Xss512k", "-cp", "/f.jar:/b.jar", "Main", "x"), cmd);
    }

    @Test(expected = IllegalStateException.class)
    public void refusesACommandWithoutClassPath() {
        JvmCommand.parse(List.of("java", "-jar", "x.jar"));
    }
}
