package io.cordon.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.EOFException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

/** The one-line errors, usages and completions of the shell, without a framework. */
public class ShellMessagesTest {

    private static final Set<String> COMMANDS = Set.of("cordon:renderers", "cordon:kill", "cordon:stop", "felix:stop",
            "felix:lb", "cordon:exec", "gogo:echo");
    private static final Map<String, String> USAGES = Map.of("cordon:kill", "cordon:kill ID");

    private static String describe(String command, Throwable error) {
        return CommandErrors.describe(command, error, COMMANDS, name -> Optional.ofNullable(USAGES.get(name)));
    }

    @Test
    public void unknownCommandSuggestsTheClosest() {
        assertEquals("unknown command 'cordon:renderes'; did you mean cordon:renderers?",
                describe("cordon:renderes", new IllegalArgumentException("Command not found: cordon:renderes")));
        assertEquals("unknown command 'rendrers'; did you mean cordon:renderers?",
                describe("rendrers 1", new IllegalArgumentException("Command not found: rendrers")));
        assertEquals("unknown command 'xyzzy'; 'help' lists the commands",
                describe("xyzzy", new IllegalArgumentException("Command not found: xyzzy")));
    }

    @Test
    public void wrongArgumentsPrintTheUsage() {
        assertEquals("usage: cordon:kill ID", describe("cordon:kill", new IllegalArgumentException("Cannot coerce kill() to any of [(int)]")));
        assertEquals("usage: cordon:kill ID", describe("kill x", new IllegalArgumentException("Cannot coerce kill(String) to any of [(int)]")));
        assertEquals("wrong arguments for felix:lb; 'help felix:lb' describes them",
                describe("lb 1 2 3", new IllegalArgumentException("Cannot coerce lb(Integer, Integer, Integer) to any of [()]")));
    }

    @Test
    public void otherFailuresNameTheCommand() {
        assertEquals("syntax error in 'echo a]': unexpected token ']'", describe("echo a]", new SyntaxError("unexpected token ']'")));
        assertEquals("syntax error in '[A': unclosed", describe("[A", new EOFException("unclosed")));
        assertEquals("interrupted", describe("sleep 5000", new RuntimeException(new InterruptedException())));
        assertEquals("usage: cordon:exec ID COMMAND…", describe("cordon:exec 2", new IllegalArgumentException("usage: cordon:exec ID COMMAND…")));
        assertEquals("cordon:spawn: no type x", describe("cordon:spawn x", new IllegalStateException("no type x")));
        assertEquals("cordon:spawn: NullPointerException", describe("cordon:spawn x", new NullPointerException()));
    }

    @Test
    public void editDistanceCountsASwapOnce() {
        assertEquals(1, DidYouMean.distance("renderes", "renderers"));
        assertEquals(1, DidYouMean.distance("rendreers", "renderers"));
        assertEquals(Optional.empty(), DidYouMean.closest("qqqq", COMMANDS));
    }

    @Test
    public void usagePlaceholdersComeFromDescriptors() {
        assertEquals("ID", CommandUsage.placeholder("renderer id", int.class));
        assertEquals("TYPE", CommandUsage.placeholder("renderer type (cordon:types lists them)", String.class));
        assertEquals("COMMAND", CommandUsage.placeholder("COMMAND and its arguments", String[].class));
        assertEquals("STRING", CommandUsage.placeholder(null, String[].class));
        assertEquals("cordon:exports [ID]", CommandUsage.merge(List.of("cordon:exports ID", "cordon:exports")));
        assertEquals("a X | a Y", CommandUsage.merge(List.of("a X", "a Y")));
        assertEquals(true, CommandUsage.isFunction("_new", "new"));
    }

    @Test
    public void completionOffersBareNamesOnlyWhenUnambiguous() {
        Set<String> names = ShellCompleter.commandNames(COMMANDS);
        assertEquals(true, names.contains("renderers") && names.contains("cordon:stop") && names.contains("felix:stop"));
        assertEquals(false, names.contains("stop"));
        assertEquals("kill", ShellCompleter.cordonFunction("kill", COMMANDS));
        assertEquals("", ShellCompleter.cordonFunction("stop", COMMANDS));
        assertEquals("stop", ShellCompleter.cordonFunction("cordon:stop", COMMANDS));
    }

    @Test
    public void promptOutputHandsOverCompleteLines() {
        List<String> printed = new ArrayList<>();
        PrintStream out = new PrintStream(new PromptOutput(printed::add, StandardCharsets.UTF_8), true, StandardCharsets.UTF_8);
        out.print("12:00 INFO [x] started");
        assertEquals(List.of(), printed);
        out.println(" — ok");
        out.print("trace line 1\ntrace line 2\npartial");
        assertEquals(List.of("12:00 INFO [x] started — ok", "trace line 1\ntrace line 2"), printed);
    }

    @Test
    public void modeIsProductionOrDevInAnyCase() {
        assertEquals("dev", LauncherConfig.mode(" DEV"));
        assertEquals("production", LauncherConfig.mode("Production"));
        assertThrows(LaunchOptions.UsageException.class, () -> LauncherConfig.mode("devel"));
    }

    /** Gogo's parser error, by the simple name the shell recognises it. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }
}
