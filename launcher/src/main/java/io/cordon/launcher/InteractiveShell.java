package io.cordon.launcher;

import java.io.IOError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;
import org.osgi.framework.BundleContext;

/**
 * The console with a terminal: a JLine line reader (completion, history with the arrow keys and
 * Ctrl-R, line editing) over a Gogo session, as Karaf's console does it, rather than gogo.jline's
 * own shell, which stops the framework on some input and cannot be told how to report errors.
 *
 * <p>Opened before the framework starts, so that everything printed on stdout and stderr from then
 * on (the log) goes above the prompt, which JLine redraws. Ctrl-C interrupts the running command or
 * clears the line; Ctrl-D, {@code exit} and {@code shutdown} end the shell, and with it Cordon.
 */
final class InteractiveShell implements AutoCloseable {

    static final String PROMPT = "g! ";
    private static final int INTERRUPTED = 130;
    private static final String INTERRUPT_WIDGET = "cordon-interrupt";
    private static final int CTRL_C = 3;
    private static final long KEY_POLL_MS = 50;

    private final Terminal terminal;
    private final LineReader reader;
    private final ShellCompleter completer;
    private final PrintStream systemOut = System.out;
    private final PrintStream systemErr = System.err;
    /** The Ctrl-C of the line running, or null at the prompt (where SIGINT is ignored, as shells do). */
    private final AtomicReference<CtrlC> running = new AtomicReference<>();

    private InteractiveShell(Terminal terminal, LineReader reader, ShellCompleter completer) {
        this.terminal = terminal;
        this.reader = reader;
        this.completer = completer;
    }

    /**
     * Opens the terminal and sends stdout and stderr above the prompt. Until {@link #run} starts, Ctrl-C
     * stops Cordon as usual (start-up can be abandoned).
     */
    static InteractiveShell open(Path history) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // JLine looks up its terminal providers through the context class loader (STACK.md's pitfall).
        thread.setContextClassLoader(TerminalBuilder.class.getClassLoader());
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder().name("cordon").system(true).dumb(false)
                    .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build();
        } finally {
            thread.setContextClassLoader(previous);
        }
        terminal.handle(Terminal.Signal.INT, signal -> new Thread(() -> System.exit(INTERRUPTED), "cordon-interrupted").start());
        ShellCompleter completer = new ShellCompleter();
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .completer(completer)
                .appName("cordon")
                .variable(LineReader.HISTORY_FILE, history)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        InteractiveShell shell = new InteractiveShell(terminal, reader, completer);
        Charset charset = terminal.encoding();
        System.setOut(new PrintStream(new PromptOutput(reader::printAbove, charset), true, charset));
        System.setErr(new PrintStream(new PromptOutput(reader::printAbove, charset), true, charset));
        return shell;
    }

    /** Reads and runs commands until Ctrl-D, {@code exit} or {@code shutdown}, or until the framework stops. */
    void run(BundleContext context, BooleanSupplier frameworkActive) throws Exception {
        PrintStream out = new PrintStream(terminal.output(), true, terminal.encoding());
        // Commands get no stdin: the keyboard is the shell's, which watches it for Ctrl-C meanwhile.
        try (GogoSession session = new GogoSession(context, InputStream.nullInputStream(), out, out)) {
            CommandRunner runner = new CommandRunner(session, new CommandUsage(context), out, this::error);
            completer.connect(session, new RendererNames(context));
            terminal.handle(Terminal.Signal.INT, signal -> { // a SIGINT sent from outside: a Ctrl-C
                CtrlC ctrlC = running.get();
                if (ctrlC != null) {
                    ctrlC.press();
                }
            });
            keysSendNoSignals();
            while (frameworkActive.getAsBoolean()) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt: the line is dropped, a new prompt follows
                } catch (EndOfFileException | IOError e) {
                    return; // Ctrl-D, or the terminal went away
                }
                if (runWatchingCtrlC(runner, session, line) == CommandRunner.Outcome.EXIT) {
                    return;
                }
            }
        }
    }

    /**
     * Ctrl-C, Ctrl-Z and Ctrl-\ reach the shell as keys, never as signals: the terminal would send those
     * to the whole process group, renderers without an OS sandbox (which run in main's session) included.
     */
    private void keysSendNoSignals() {
        Attributes attributes = terminal.getAttributes();
        attributes.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(attributes);
        reader.getWidgets().put(INTERRUPT_WIDGET, () -> {
            throw new UserInterruptException(reader.getBuffer().toString());
        });
        reader.getKeyMaps().get(LineReader.EMACS).bind(new Reference(INTERRUPT_WIDGET), KeyMap.ctrl('C'));
    }

    /**
     * Runs a line while a watcher reads the keyboard: Ctrl-C interrupts (see {@link CtrlC}), other keys
     * wait for the next prompt.
     */
    private CommandRunner.Outcome runWatchingCtrlC(CommandRunner runner, GogoSession session, String line) {
        Attributes attributes = terminal.enterRawMode(); // key by key, no echo: what JLine's timed reads expect
        CtrlC ctrlC = new CtrlC();
        running.set(ctrlC);
        StringBuilder typeahead = new StringBuilder();
        Thread watcher = new Thread(() -> {
            NonBlockingReader keys = terminal.reader();
            try {
                while (running.get() == ctrlC) {
                    int c = keys.read(KEY_POLL_MS);
                    if (c == CTRL_C) {
                        ctrlC.press();
                    } else if (c == NonBlockingReader.EOF) {
                        return;
                    } else if (c >= 0) {
                        typeahead.appendCodePoint(c);
                    }
                    switch (ctrlC.next(System.nanoTime(), session.hasForegroundJob())) {
                        case INTERRUPT -> session.interruptForegroundJob();
                        case RELEASE -> session.releaseForegroundJob();
                        case NONE -> { }
                    }
                }
            } catch (IOException e) {
                // the terminal is gone: nothing to watch
            }
        }, "cordon-ctrl-c");
        watcher.setDaemon(true);
        watcher.start();
        try {
            return runner.run(line);
        } finally {
            running.set(null);
            awaitEnd(watcher);
            terminal.setAttributes(attributes);
            if (typeahead.length() > 0) {
                reader.runMacro(typeahead.toString());
            }
        }
    }

    /** Joins even when interrupted (main stopping interrupts this thread): the terminal must be restored. */
    private static void awaitEnd(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void error(String line) {
        terminal.writer().println(line);
        terminal.writer().flush();
    }

    /** Gives stdout and stderr back and restores the terminal. */
    @Override
    public void close() {
        System.setOut(systemOut);
        System.setErr(systemErr);
        try {
            reader.getHistory().save();
            terminal.close();
        } catch (IOException e) {
            systemErr.println("cordon: restoring the terminal failed: " + e);
        }
    }
}
