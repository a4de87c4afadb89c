package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.cordon.main.RecordingLogger;

public class ClassDataArchiveTest {

    private static final List<String> PER_RENDERER = List.of("-Djava.io.tmpdir=", "-Dcordon.renderer.id=");
    private static final boolean AOT = Runtime.version().feature() >= 25;
    private static final String USE = AOT ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<Runnable> background = new ArrayList<>();

    private List<String> command(int id, String heap) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-Djava.io.tmpdir=/data/renderers/" + id + "/tmp", "-Dcordon.renderer.id=" + id, "-cp", folder.getRoot().toString(), "Boot");
    }

    private ClassDataArchive archive() {
        return new ClassDataArchive(folder.getRoot().toPath().resolve("class-data"), PER_RENDERER, RecordingLogger.of(warnings, "warn"), background::add);
    }

    @Test
    public void theKeyIgnoresWhatDiffersBetweenRenderersButNotTheOptions() {
        assertEquals(ClassDataArchive.key(command(1, "64m"), PER_RENDERER), ClassDataArchive.key(command(2, "64m"), PER_RENDERER));
        assertNotEquals(ClassDataArchive.key(command(1, "64m"), PER_RENDERER), ClassDataArchive.key(command(1, "128m"), PER_RENDERER));
    }

    @Test
    public void oneRendererTrainsAndLaterOnesUseWhatItLeft() throws Exception {
        ClassDataArchive archive = archive();
        Path first = folder.newFolder("1").toPath();
        List<String> training = archive.options(command(1, "64m"), first);
        assertTrue(training.toString(), training.stream().anyMatch(o -> o.contains(first.toString())));
        assertEquals("one trainer at a time", List.of(), archive.options(command(2, "64m"), folder.newFolder("2").toPath()));

        Files.write(first.resolve(AOT ? "class-data.aotconf" : "class-data.jsa"), new byte[] {1});
        archive.collect(first);
        assertEquals("the archive is made and checked in the background", 1, background.size());
        if (AOT) {
            assertEquals("none while the cache is assembled", List.of(), archive.options(command(3, "64m"), folder.newFolder("3").toPath()));
        } else {
            // AppCDS: the trained file is the archive; renderers get it before the check has run.
            List<String> using = archive.options(command(3, "64m"), folder.newFolder("3").toPath());
            assertEquals(1, using.size());
            assertTrue(using.get(0), using.get(0).startsWith(USE));
        }
    }

    @Test
    public void anArchiveThisJvmCannotUseIsDeletedWithOneWarningAndRenderersStartWithoutIt() throws Exception {
        ClassDataArchive archive = archive();
        Path first = folder.newFolder("1").toPath();
        archive.options(command(1, "64m"), first);
        Files.write(first.resolve(AOT ? "class-data.aotconf" : "class-data.jsa"), "not an archive".getBytes());
        archive.collect(first);
        background.forEach(Runnable::run);

        assertEquals(warnings.toString(), 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("cannot be used by this JVM"));
        try (var files = Files.list(folder.getRoot().toPath().resolve("class-data"))) {
            assertEquals(List.of(), files.filter(f -> !f.getFileName().toString().startsWith(".")).toList());
        }
        assertEquals("no archive, no new training in this run", List.of(), archive.options(command(4, "64m"), folder.newFolder("4").toPath()));
    }

    @Test
    public void aRendererThatLeftNoArchiveLetsTheNextOneTrainUntilThreeHaveFailed() throws Exception {
        ClassDataArchive archive = archive();
        for (int i = 1; i <= 3; i++) {
            Path storage = folder.newFolder(Integer.toString(i)).toPath();
            assertFalse(archive.options(command(i, "64m"), storage).isEmpty());
            archive.collect(storage);
        }
        assertEquals(List.of(), archive.options(command(9, "64m"), folder.newFolder("9").toPath()));
        assertEquals(1, warnings.size());
    }

    @Test
    public void aJvmGivenAnUnusableArchiveStillStarts() throws Exception {
        Path garbage = folder.newFile("garbage" + (AOT ? ".aot" : ".jsa")).toPath();
        Files.writeString(garbage, "not an archive");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), USE + garbage,
                "-Xlog:disable", "-Xlog:all=warning:stderr", "-version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
    }
}
