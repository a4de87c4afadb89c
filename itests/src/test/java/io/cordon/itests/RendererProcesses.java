package io.cordon.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;

/**
 * The processes of this main's renderers, found by the temporary folder each renderer's command line
 * names ({@code -Djava.io.tmpdir=<renderers>/<id>/tmp}, RendererLaunch) under the framework's storage.
 * Looked for among all processes, not only this JVM's descendants: a renderer whose wrapper died is
 * reparented, and that is exactly the orphan worth finding.
 */
final class RendererProcesses {

    private final Pattern tmpdir;

    RendererProcesses(BundleContext context) {
        // Felix keeps every bundle's data under one storage folder: the system bundle's is <storage>/bundle0/data
        Path storage = context.getBundle(0).getDataFile("").toPath().getParent().getParent();
        this.tmpdir = Pattern.compile("-Djava\\.io\\.tmpdir=" + Pattern.quote(storage.toString()) + "/\\S*/renderers/(\\d+)/tmp");
    }

    /** The renderer ids that have a running process, each with its processes as "pid command". */
    Map<Integer, List<String>> byId() {
        Map<Integer, List<String>> ids = new TreeMap<>();
        ProcessHandle.allProcesses().filter(p -> running(p.pid())).forEach(p -> {
            String command = p.info().commandLine().orElse("");
            Matcher m = tmpdir.matcher(command);
            if (m.find()) {
                ids.computeIfAbsent(Integer.valueOf(m.group(1)), id -> new ArrayList<>()).add(p.pid() + " " + command);
            }
        });
        return ids;
    }

    /** A zombie has exited (some container inits reap orphans only now and then), so it does not count. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
