package io.cordon.main.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.cordon.api.SandboxLevel;

/**
 * How a command is put in the OS sandbox: pure command-line building, no I/O. The result runs
 * {@code command} with no network, the whole file system read-only except {@code storage}, in a new
 * session (no controlling terminal), with stdin, stdout and stderr inherited.
 */
final class SandboxRecipe {

    /** {@code $0} of the setup script, as it names itself in its error messages. */
    static final String SCRIPT_NAME = "cordon-sandbox";
    /** The setup script's exit status when it could not make a mount read-only (fail closed, never run unconfined). */
    static final int SETUP_FAILED = 97;

    /**
     * Runs inside new user (mapped to root, so it may mount), network, mount, IPC and UTS namespaces as
     * {@code sh -c SCRIPT cordon-sandbox STORAGE COMMAND...}: remounts every mount point read-only,
     * keeping the flags a user namespace may not clear (nosuid, nodev, noexec, atime: they are in
     * mountinfo's fifth field), bind-mounts STORAGE over itself read-write, enters it, then execs
     * COMMAND in a new session with every capability and the bounding set dropped and no_new_privs set,
     * so the JVM can neither undo the mounts nor regain privileges. Each step execs: the pid main
     * started is the JVM's. Mount points mountinfo escapes (\040 for a space…) are decoded; those that
     * do not resolve are hidden under another mount and unreachable anyway. {@code idmapped} is a
     * property of the mount, not an option mount(8) takes back, so it is left out.
     */
    static final String UNSHARE_SCRIPT = String.join("\n",
            "set -e",
            "storage=$1; shift",
            "while read -r _ _ _ _ mp opts _; do",
            "  case $mp in *\\\\*) mp=$(printf '%b' \"$(printf '%s' \"$mp\" | sed 's/\\\\\\([0-7][0-7][0-7]\\)/\\\\0\\1/g')\");; esac",
            "  [ -e \"$mp\" ] || continue",
            "  case $opts in *,idmapped*) opts=${opts%%,idmapped*}${opts#*,idmapped};; esac",
            "  mount --options-source disable -o \"remount,bind,ro${opts#r[ow]}\" \"$mp\" || {",
            "    echo \"$0: cannot make $mp read-only\" >&2; exit " + SETUP_FAILED + "; }",
            "done < /proc/self/mountinfo",
            "mount --bind \"$storage\" \"$storage\"",
            "opts=$(findmnt -n -o VFS-OPTIONS --mountpoint \"$storage\")",
            "mount --options-source disable -o \"remount,bind,rw${opts#r[ow]}\" \"$storage\"",
            "cd \"$storage\"",
            "exec setsid -w setpriv --no-new-privs --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- \"$@\"");

    private SandboxRecipe() {
    }

    /** True for the levels that put the renderer in namespaces. */
    static boolean isolated(SandboxLevel level) {
        return level == SandboxLevel.NS_UNSHARE || level == SandboxLevel.NS_BWRAP;
    }

    /**
     * The command that runs {@code command} at {@code level}.
     *
     * @param tool    the absolute path of {@code unshare} or {@code bwrap} (ignored for the unsandboxed levels)
     * @param storage the one folder the command may write; must exist
     */
    static List<String> wrap(SandboxLevel level, String tool, Path storage, List<String> command) {
        if (!isolated(level)) {
            return List.copyOf(command);
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("nothing to run");
        }
        String dir = storage.toAbsolutePath().normalize().toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        if (level == SandboxLevel.NS_UNSHARE) {
            cmd.addAll(List.of("--user", "--map-root-user", "--net", "--mount", "--ipc", "--uts", "--propagation", "private",
                    "--", "/bin/sh", "-c", UNSHARE_SCRIPT, SCRIPT_NAME, dir));
        } else {
            cmd.addAll(List.of("--unshare-all", "--die-with-parent", "--new-session",
                    "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                    "--bind", dir, dir, "--chdir", dir, "--"));
        }
        cmd.addAll(command);
        return List.copyOf(cmd);
    }
}
