package io.cordon.main.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.cordon.api.RendererType;
import io.cordon.api.SandboxLevel;
import io.cordon.common.channel.Contract;
import io.cordon.common.channel.Messages;
import io.cordon.common.channel.shm.SharedRings;
import io.cordon.main.sandbox.ResourceLimits;
import io.cordon.main.sandbox.Sandbox;
import io.cordon.main.sandbox.SandboxedCommand;

/**
 * How one renderer process is made: its folder, its sandboxed command line and the framework
 * properties and bundles main sends it first, all decided by its {@link SpareKey} alone (a spare is made
 * before it has a type), then the identity its type gives it at adoption.
 */
final class RendererLaunch {

    /** The ring file's name in the renderer's folder. */
    static final String RING_FILE = "channel.shm";
    /** The name of main's doorbell socket ({@code SocketBell}) in the renderer's folder. */
    static final String BELL_FILE = "bell.sock";

    private final Path renderersDir;
    private final ChildRuntime runtime;
    private final Sandbox sandbox;
    private static final String TMPDIR_OPTION = "-Djava.io.tmpdir=";
    /** The first Java that takes {@code --sun-misc-unsafe-memory-access} (JEP 471); older ones refuse to start with it. */
    private static final int UNSAFE_OPTION_SINCE = 23;
    /** The renderer JVM options that differ between renderers of one command line (class-data sharing ignores them). */
    static final List<String> PER_RENDERER_OPTIONS = List.of(TMPDIR_OPTION);

    private final ResourceLimits limits;
    private final List<String> jvmOptions;
    private final ClassDataArchive classData;
    private final boolean privileged = privileged();

    /** A renderer's shared-memory rings: the file its bootstrap maps (and removes), and main's mapping. */
    record Rings(Path file, SharedRings memory) {
    }

    /** {@code classData}: null when class data sharing is off. */
    RendererLaunch(Path renderersDir, ChildRuntime runtime, Sandbox sandbox, ResourceLimits limits, List<String> jvmOptions,
                   ClassDataArchive classData) {
        this.renderersDir = renderersDir;
        this.runtime = runtime;
        this.sandbox = sandbox;
        this.limits = limits;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.classData = classData;
    }

    /**
     * The rings for a renderer's channel, in its own folder (the one folder it may write in every sandbox),
     * or null for the pipe: when its type asks for the pipe, or when the rings cannot work for it, which
     * {@code fallback} is told.
     */
    Rings rings(RendererType type, SandboxLevel level, Path storage, Consumer<String> fallback) {
        if (type.transport() == RendererType.Transport.PIPE) {
            return null;
        }
        String refusal = TransportChoice.refusal(level.isolated(), privileged);
        if (refusal != null) {
            fallback.accept(refusal);
            return null;
        }
        Path file = storage.resolve(RING_FILE);
        try {
            return new Rings(file, SharedRings.create(file, Contract.SHM_RING_BYTES));
        } catch (IOException | RuntimeException e) {
            fallback.accept("its shared memory cannot be created in " + file + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean privileged() {
        try {
            return TransportChoice.privileged(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException e) {
            return true;
        }
    }

    /** The renderer's own folder, emptied: its framework cache and temporary files live there and nowhere else. */
    Path prepare(int id) throws IOException {
        Path storage = storage(id);
        deleteRecursively(storage);
        Files.createDirectories(storage.resolve("tmp"));
        return storage;
    }

    Path storage(int id) {
        return renderersDir.resolve(Integer.toString(id));
    }

    /**
     * The command that runs the renderer at its type's priority and limits, inside the sandbox its type asks for;
     * {@code label} names it in the sandbox's messages.
     */
    SandboxedCommand command(RendererType type, int id, String label, Path storage) {
        return limits.apply(id, type.resources(), javaCommand(type, storage),
                jvm -> sandbox.apply(label, type.sandboxPolicy(), storage, jvm));
    }

    private List<String> javaCommand(RendererType type, Path storage) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + type.heapMb() + "m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        // The JVM's own messages (such as the one before that exit, or a class-data archive it cannot
        // use) would corrupt the channel on stdout: its unified log goes to stderr instead.
        cmd.add("-XX:+DisplayVMOutputToStderr");
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=warning:stderr");
        cmd.add(TMPDIR_OPTION + storage.resolve("tmp"));
        // Class-data archives (the JDK's and Cordon's) mapped where they were laid out, not at a random
        // address: relocating one writes to every page, so each JVM kept a private copy (about 22 MiB a
        // renderer) and spent some 7 ms on it. The randomness protects nothing here: a renderer's own code
        // can already read and write its process's memory (sun.misc.Unsafe), its sandbox is the boundary.
        cmd.add("-XX:+UnlockDiagnosticVMOptions");
        cmd.add("-XX:ArchiveRelocationMode=0");
        if (Runtime.version().feature() >= UNSAFE_OPTION_SINCE) {
            // Felix uses sun.misc.Unsafe, which Java 24 and later warn about at every start (four lines in main's log).
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(type.jvmOptions());
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, runtime.classPath().stream().map(Path::toString).toList()));
        cmd.add(ChildRuntime.BOOT_CLASS);
        if (classData != null) {
            cmd.addAll(cmd.indexOf("-cp"), classData.options(cmd, storage));
        }
        return cmd;
    }

    /** Deletes a renderer's folder (or all of them), whatever is in it. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** A renderer is gone, its folder not yet deleted: what it leaves for the others (a class-data archive) is kept. */
    void gone(Path storage) {
        if (classData != null) {
            classData.collect(storage);
        }
    }

    /** What main sends in CONFIG: the RSA's settings and the renderer's cache folder; nothing of its type but its key. */
    Map<String, String> frameworkProperties(RendererType type, Path storage, Map<String, String> rsa) {
        Map<String, String> p = new LinkedHashMap<>(rsa);
        p.put("org.osgi.framework.storage", storage.resolve("cache").toString());
        p.put("org.osgi.framework.storage.clean", "onFirstInit");
        p.put("felix.log.level", "1");
        // A trusted renderer's preload hook hides no imported proxies (io.cordon.renderer.preload.ProxyHiding).
        p.put(Contract.RENDERER_TRUSTED, Boolean.toString(type.trusted()));
        return p;
    }

    /** What main sends in ADOPT ({@link Contract#ADOPTION_PROPERTIES}): the renderer's id and type in main. */
    static Map<String, String> identity(int id, RendererType type) {
        return Map.of(Contract.RENDERER_ID, Integer.toString(id), Contract.RENDERER_TYPE, type.name());
    }

    /** Cordon's own bundles, sent first at start level 1. */
    List<Messages.BundleMessage> runtimeBundles() {
        return runtime.bundles();
    }
}
