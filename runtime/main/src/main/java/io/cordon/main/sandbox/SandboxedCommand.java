package io.cordon.main.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.cordon.api.RendererType;
import io.cordon.api.SandboxLevel;

/**
 * A renderer's command line with its sandbox and resource limits applied, and what it got of them.
 *
 * @param level     the sandbox level the process gets (reported in {@code RendererInfo.sandboxLevel})
 * @param command   the full command, wrapper included
 * @param resources the priority and cgroup limits it gets (reported in {@code RendererInfo.resources})
 * @param placement what is done to the process as soon as it runs, before main sends it anything
 */
public record SandboxedCommand(SandboxLevel level, List<String> command, RendererType.Resources resources, Placement placement) {

    /** Puts a just-started process somewhere (its cgroup), and undoes that when it exits. */
    public interface Placement {
        Placement NONE = process -> {
        };

        void place(Process process) throws IOException;

        /** This placement, then {@code next}. */
        default Placement then(Placement next) {
            return process -> {
                place(process);
                next.place(process);
            };
        }
    }

    public SandboxedCommand {
        command = List.copyOf(command);
    }

    SandboxedCommand(SandboxLevel level, List<String> command) {
        this(level, command, RendererType.Resources.NONE, Placement.NONE);
    }

    SandboxedCommand limited(RendererType.Resources got, Placement placedBy) {
        return new SandboxedCommand(level, command, got, placedBy);
    }

    /**
     * Starts the process in {@code directory}, with {@code environment} added to main's, and places it. The
     * returned process's pid is the sandboxed program's (with bubblewrap, which stays as its parent, pid, kill
     * and exit are mapped to the program).
     */
    public Process start(Path directory, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        Process program = level == SandboxLevel.NS_BWRAP ? BwrapProcess.wrap(process) : process;
        try {
            placement.place(program);
        } catch (IOException | RuntimeException e) {
            program.destroyForcibly();
            throw e;
        }
        return program;
    }
}
