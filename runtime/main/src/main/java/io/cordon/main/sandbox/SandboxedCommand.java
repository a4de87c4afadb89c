package io.cordon.main.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.cordon.api.SandboxLevel;

/**
 * A renderer's command line with its sandbox applied, and the level it got.
 *
 * @param level   the sandbox level the process gets (reported in {@code RendererInfo.sandboxLevel})
 * @param command the full command, wrapper included
 */
public record SandboxedCommand(SandboxLevel level, List<String> command) {

    public SandboxedCommand {
        command = List.copyOf(command);
    }

    /**
     * Starts the process in {@code directory}. The returned process's pid is the sandboxed program's
     * (with bubblewrap, which stays as its parent, pid, kill and exit are mapped to the program).
     */
    public Process start(Path directory) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).start();
        return level == SandboxLevel.NS_BWRAP ? BwrapProcess.wrap(process) : process;
    }
}
