package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The interactive shell as a person at a terminal meets it: the real bin/cordon in a pseudo-terminal,
 * one renderer of a small type ({@code mini}), keys as a terminal sends them. One Cordon for the
 * class; the tests run in name order and the last one types Ctrl-D. The renderer runs without
 * an OS sandbox, so in the terminal's process group: Ctrl-C must not reach it as a signal.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ShellIT {

    private static final String PROMPT = "g! ";
    private static final String UP = "\u001bOA"; // the Up arrow, as an xterm in keypad mode sends it
    private static final String CTRL_C = "\u0003";
    private static final String CTRL_R = "\u0012";
    private static final String CTRL_D = "\u0004";
    private static final String TAB = "\t";
    private static final String ENTER = "\r";

    private static PtyCordon cordon;

    @BeforeClass
    public static void start() throws Exception {
        Path work = Dist.tempDir("shell");
        Path deploy = Dist.mkdirs(work.resolve("deploy"));
        Files.writeString(deploy.resolve("io.cordon.renderer.type-mini.cfg"),
                "instances=1\nsandbox=off\nbundles=" + Dist.home().resolve("renderer/sample") + "\n");
        cordon = new PtyCordon(work, deploy);
    }

    @AfterClass
    public static void stop() {
        if (cordon != null) {
            cordon.close();
        }
    }

    @Test
    public void a_promptFollowsTheStartUpLog() throws Exception {
        String screen = cordon.await("ready in \\d+ ms[^\n]*\n" + Pattern.quote(PROMPT));
        assertFalse("JLine fell back to a dumb terminal:\n" + screen, screen.contains("dumb terminal"));
        assertTrue("FileInstall's temporary folder is the run's own", Files.isDirectory(cordon.data().resolve("tmp")));
    }

    @Test
    public void b_tabCompletesCommandNamesAndRendererIds() throws Exception {
        cordon.type("cordon:rendere" + TAB).await("cordon:renderers $");
        cordon.type(ENTER).await("ID +TYPE +PID +STATE.*\n1 +mini +\\d+ +READY.*\n" + Pattern.quote(PROMPT));
        cordon.type("cordon:exports " + TAB).await("cordon:exports 1 $");
        cordon.type(ENTER).await("ID +TYPE +ENDPOINT +INTERFACES +METHOD\\s*\n" + Pattern.quote(PROMPT));
    }

    @Test
    public void c_ctrlCAtThePromptDropsTheLine() throws Exception {
        cordon.type("cordon:spawn mi" + TAB).await("cordon:spawn mini $");
        cordon.type(CTRL_C).await("\n" + Pattern.quote(PROMPT) + "$");
        cordon.type("cordon:version" + ENTER).await("cordon +0\\.1\\.0-SNAPSHOT\n.*mode +production\n.*" + Pattern.quote(PROMPT));
        assertFalse("the dropped spawn ran:\n" + cordon.text(), cordon.text().contains("renderer 2 (mini)"));
    }

    @Test
    public void d_upArrowAndCtrlRRecallCommands() throws Exception {
        cordon.type(UP).await("cordon:version$");
        cordon.type(ENTER).await("cordon +0\\.1\\.0-SNAPSHOT\n");
        cordon.type(CTRL_R + "rend").await("bck-i-search");
        cordon.type(ENTER).await("ID +TYPE +PID +STATE");
    }

    @Test
    public void e_ctrlCInterruptsTheRunningCommand() throws Exception {
        cordon.type("sleep 600" + ENTER).await("sleep 600\n"); // Gogo's sleep counts seconds
        cordon.type(CTRL_C).await("interrupted\n" + Pattern.quote(PROMPT));
        cordon.type("sleep 600" + ENTER + CTRL_C).await("interrupted\n" + Pattern.quote(PROMPT)); // before its job exists
        cordon.type("sleep 1" + ENTER + "cordon:vers").await(Pattern.quote(PROMPT) + "cordon:vers$"); // typed ahead, kept
        cordon.type("ion" + ENTER).await("cordon +0\\.1\\.0-SNAPSHOT");
    }

    @Test
    public void f_malformedInputIsOneLineAndHarmless() throws Exception {
        cordon.type("echo a]" + ENTER).await("syntax error in 'echo a]'[^\n]*\n" + Pattern.quote(PROMPT));
        cordon.type("[A" + ENTER).await("syntax error in '\\[A'[^\n]*\n" + Pattern.quote(PROMPT));
        cordon.type("echo \"open" + ENTER).await("syntax error[^\n]*\n" + Pattern.quote(PROMPT));
        cordon.type("cordon:renderes" + ENTER)
                .await("unknown command 'cordon:renderes'; did you mean cordon:renderers\\?\n" + Pattern.quote(PROMPT));
        cordon.type("cordon:kill" + ENTER).await("usage: cordon:kill ID\n" + Pattern.quote(PROMPT));
        cordon.type("cordon:exec 1" + ENTER).await("usage: cordon:exec ID COMMAND…\n" + Pattern.quote(PROMPT));
        cordon.type("cordon:renderers" + ENTER).await("1 +mini +\\d+ +READY( +\\S+){4} +0 +off +\\d+ +\\S+\n"); // never restarted
    }

    @Test
    public void g_logLinesGoAboveThePromptWithWhatWasTyped() throws Exception {
        cordon.type("cordon:vers").await("cordon:vers$");
        Files.writeString(cordon.deploy().resolve("broken.jar"), "not a jar");
        String screen = cordon.await("ERROR[^\n]*broken\\.jar[^\n]*\n(.*\n)?" + Pattern.quote(PROMPT) + "cordon:vers$");
        cordon.type("ion" + ENTER).await("cordon +0\\.1\\.0-SNAPSHOT");
        assertTrue(screen, screen.contains("broken.jar"));
    }

    @Test
    public void z_ctrlDStopsCordonAndLeavesNothingBehind() throws Exception { // exit and shutdown: LauncherIT
        cordon.type(CTRL_D);
        assertEquals(cordon.text(), 0, cordon.awaitExit());
        for (ProcessHandle child : cordon.children()) {
            Poll.untilTrue("renderer process " + child.pid() + " gone after exit", () -> !child.isAlive());
        }
        assertFalse("the run's temporary folder is removed at exit", Files.exists(cordon.data().resolve("tmp")));
        assertFalse("no stack trace:\n" + cordon.text(), cordon.text().contains("\tat "));
    }
}
