package io.cordon.launcher;

import java.io.EOFException;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Gogo throws into one line a person understands, for the interactive shell and scripted
 * mode alike: {@code unknown command 'cordon:renderes'; did you mean cordon:renderers?},
 * {@code usage: cordon:kill ID} instead of {@code Cannot coerce kill() to any of [(int)]}.
 */
final class CommandErrors {

    private static final Pattern NOT_FOUND = Pattern.compile("Command not found: (\\S+)");
    private static final Pattern COERCE = Pattern.compile("Cannot coerce (\\S+?)\\(");

    private CommandErrors() {
    }

    /**
     * @param command  the command as typed
     * @param error    what Gogo threw
     * @param commands every command, as {@code scope:function}
     * @param usage    the usage line of a command ({@code scope:function}), if known
     */
    static String describe(String command, Throwable error, Collection<String> commands,
                           Function<String, Optional<String>> usage) {
        String message = error.getMessage() == null ? "" : error.getMessage().strip();
        Matcher notFound = NOT_FOUND.matcher(message);
        if (notFound.lookingAt()) {
            return unknown(notFound.group(1), commands);
        }
        Matcher coerce = COERCE.matcher(message);
        if (error instanceof IllegalArgumentException && coerce.lookingAt()) {
            String name = resolve(firstWord(command), coerce.group(1), commands);
            return usage.apply(name).map(u -> "usage: " + u)
                    .orElse("wrong arguments for " + name + "; 'help " + name + "' describes them");
        }
        if (isInterruption(error)) {
            return "interrupted";
        }
        String type = error.getClass().getSimpleName();
        // Gogo's parser throws SyntaxError, and java.io.EOFException for an unclosed quote or bracket.
        if (type.equals("SyntaxError") || error instanceof EOFException) {
            return "syntax error in '" + command + "': " + message;
        }
        if (message.startsWith("usage:")) {
            return message;
        }
        return firstWord(command) + ": " + (message.isEmpty() ? type : message);
    }

    private static String unknown(String name, Collection<String> commands) {
        return "unknown command '" + name + "'; "
                + DidYouMean.closest(name, commands).map(s -> "did you mean " + s + "?").orElse("'help' lists the commands");
    }

    /** The typed name as {@code scope:function}: as typed when scoped, else the one command with that function. */
    private static String resolve(String typed, String function, Collection<String> commands) {
        if (typed.contains(":") && typed.endsWith(":" + function)) {
            return typed;
        }
        return commands.stream().filter(c -> c.endsWith(":" + function)).sorted().findFirst().orElse(function);
    }

    private static boolean isInterruption(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    static String firstWord(String command) {
        String stripped = command.strip();
        int space = stripped.indexOf(' ');
        return space < 0 ? stripped : stripped.substring(0, space);
    }
}
