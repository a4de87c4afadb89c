package io.cordon.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The java binary and JVM options a live renderer was started with, read back from
 * {@code /proc/PID/cmdline}, so the baseline child is started exactly the same way as renderers are,
 * whatever the supervisor and the type configure, instead of a copy of those options that could drift.
 */
public record JvmCommand(String java, List<String> options) {

    private static final String TMPDIR = "-Djava.io.tmpdir=";
    /** Renderer-specific options the baseline has no use for: the renderers' class-data archive. */
    private static final List<String> RENDERER_ONLY = List.of("-XX:ArchiveClassesAtExit=",
            "-XX:SharedArchiveFile=", "-XX:AOTCacheOutput=", "-XX:AOTCache=");

    public static JvmCommand ofProcess(long pid) throws IOException {
        String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        return parse(List.of(cmdline.split("\0")));
    }

    static JvmCommand parse(List<String> args) {
        int classPath = args.indexOf("-cp");
        if (classPath < 1) {
            throw new IllegalStateException("not started as 'java OPTIONS -cp …': " + args);
        }
        return new JvmCommand(args.get(0), List.copyOf(args.subList(1, classPath)));
    }

    /** The class-data archive option the renderer got ({@code -XX:SharedArchiveFile=…}, …), else {@code none}. */
    public String classData() {
        return options.stream().filter(o -> RENDERER_ONLY.stream().anyMatch(o::startsWith)).findFirst().orElse("none");
    }

    /** The command line for {@code mainClass}: same java and options, its own tmpdir and class path. */
    public List<String> launch(Path tmpdir, List<Path> classPath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String option : options) {
            if (option.startsWith(TMPDIR)) {
                cmd.add(TMPDIR + tmpdir);
            } else if (RENDERER_ONLY.stream().noneMatch(option::startsWith)) {
                cmd.add(option);
            }
        }
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
