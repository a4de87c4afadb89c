package io.cordon.main.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A renderer's command line with its sandbox applied, and the level it got.
 *
 * @param level   the sandbox level the process gets (reported in {@code RendererInfo.sandbox})
 * @param command the full command, wrapper included
 */
public record SandboxedCommand(SandboxLevel level, List<String> command) {

    public SandboxedCommand {
        command = List.copyOf(command);
    }

    /**
     * Starts the process in {@code directory}, with {@code environment} added to main's. The returned process's pid is the sandboxed program's
     * (with bubblewrap, which stays as its parent, pid, kill and exit are mapped to the program).
     */
    public Process start(Path directory, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return level == SandboxLevel.BWRAP ? BwrapProcess.wrap(process) : process;
    }
}
