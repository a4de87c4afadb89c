package io.cordon.launcher;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * stdout or stderr while the interactive shell runs: complete lines go to JLine's
 * {@code printAbove}, which prints them above the prompt and redraws it with what was typed.
 */
final class PromptOutput extends OutputStream {

    private final Consumer<String> printAbove;
    private final Charset charset;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    PromptOutput(Consumer<String> printAbove, Charset charset) {
        this.printAbove = printAbove;
        this.charset = charset;
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
        for (int i = offset + length - 1; i >= offset; i--) {
            if (bytes[i] == '\n') {
                emit();
                return;
            }
        }
    }

    /** Everything up to the last line break, as one block (a stack trace redraws the prompt once). */
    private void emit() {
        byte[] bytes = pending.toByteArray();
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end == 0) {
            return;
        }
        String text = new String(bytes, 0, end, charset);
        pending.reset();
        pending.write(bytes, end, bytes.length - end);
        printAbove.accept(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    }
}
