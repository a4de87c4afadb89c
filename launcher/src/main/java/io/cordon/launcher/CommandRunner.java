package io.cordon.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs lines of Gogo commands for the interactive shell and for scripted mode alike: each command
 * of a line (split at top-level {@code ;}) on its own, its result on {@code out}, a failure as one
 * line to {@code errors}. {@code exit} and {@code shutdown} end the run (they stop Cordon).
 */
final class CommandRunner {

    /** What a line did. */
    enum Outcome { OK, FAILED, EXIT }

    private static final Set<String> EXIT_WORDS = Set.of("exit", "shutdown");

    private final GogoSession session;
    private final CommandUsage usage;
    private final PrintStream out;
    private final Consumer<String> errors;

    CommandRunner(GogoSession session, CommandUsage usage, PrintStream out, Consumer<String> errors) {
        this.session = session;
        this.usage = usage;
        this.out = out;
        this.errors = errors;
    }

    /** Runs every line of {@code script} until its end or {@code exit}; returns 0 when all succeeded, else 1. */
    int run(BufferedReader script) throws IOException {
        int status = 0;
        for (String line = script.readLine(); line != null; line = script.readLine()) {
            Outcome outcome = run(line);
            if (outcome == Outcome.FAILED) {
                status = 1;
            } else if (outcome == Outcome.EXIT) {
                break;
            }
        }
        return status;
    }

    /** Runs the commands of one line; stops at {@code exit}. */
    Outcome run(String line) {
        Outcome outcome = Outcome.OK;
        for (String command : CommandSplitter.split(line)) {
            if (EXIT_WORDS.contains(CommandErrors.firstWord(command))) {
                return Outcome.EXIT;
            }
            if (!runOne(command)) {
                outcome = Outcome.FAILED;
            }
        }
        return outcome;
    }

    private boolean runOne(String command) {
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result));
            }
            return true;
        } catch (Exception e) {
            out.flush();
            errors.accept(CommandErrors.describe(command, e, session.commands(), usage::of));
            return false;
        } finally {
            out.flush();
        }
    }
}
