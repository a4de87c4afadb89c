package io.cordon.common.rsa.codec;

import java.util.List;

/**
 * A failure as it travels between the processes: the remote exception's class name, message and stack,
 * never the exception object itself. {@link #from(Throwable)} applies the bounds
 * ({@value #MAX_TYPE_CHARS} chars of type name, {@value #MAX_MESSAGE_CHARS} chars of message,
 * {@value #MAX_FRAMES} frames, {@value #MAX_FRAME_CHARS} chars per frame string); the decoder refuses a
 * failure beyond them.
 *
 * @param type the remote exception's class name
 * @param message its message, may be null
 * @param stack its innermost frames first, never null (null becomes the empty list)
 */
public record FailureInfo(String type, String message, List<StackFrame> stack) {

    /** Longest type name carried, in chars. */
    public static final int MAX_TYPE_CHARS = 512;
    /** Longest message carried, in chars (8 KiB). */
    public static final int MAX_MESSAGE_CHARS = 8 * 1024;
    /** Most stack frames carried. */
    public static final int MAX_FRAMES = 64;
    /** Longest class, method or file name in a frame, in chars. */
    public static final int MAX_FRAME_CHARS = 512;

    private static final String TRUNCATED = "…[truncated]";

    /** One stack frame; {@code fileName} may be null, {@code line} is negative when unknown (-2: native). */
    public record StackFrame(String className, String methodName, String fileName, int line) {

        static StackFrame of(StackTraceElement e) {
            return new StackFrame(truncate(e.getClassName(), MAX_FRAME_CHARS), truncate(e.getMethodName(), MAX_FRAME_CHARS),
                    truncate(e.getFileName(), MAX_FRAME_CHARS), e.getLineNumber());
        }
    }

    public FailureInfo {
        stack = stack == null ? List.of() : List.copyOf(stack);
    }

    /** The failure {@code t}, bounded: type name, message and frame strings truncated, only the first frames. */
    public static FailureInfo from(Throwable t) {
        String message;
        try {
            message = t.getMessage();
        } catch (RuntimeException e) { // a hostile or broken getMessage() must not break failure reporting
            message = "(getMessage() threw " + e.getClass().getName() + ")";
        }
        StackTraceElement[] trace = t.getStackTrace();
        StackFrame[] frames = new StackFrame[Math.min(trace.length, MAX_FRAMES)];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = StackFrame.of(trace[i]);
        }
        return new FailureInfo(truncate(t.getClass().getName(), MAX_TYPE_CHARS), truncate(message, MAX_MESSAGE_CHARS), List.of(frames));
    }

    /** The frames as {@link StackTraceElement}s, e.g. for {@link Throwable#setStackTrace}. */
    public StackTraceElement[] stackTrace() {
        StackTraceElement[] elements = new StackTraceElement[stack.size()];
        for (int i = 0; i < elements.length; i++) {
            StackFrame f = stack.get(i);
            elements[i] = new StackTraceElement(f.className(), f.methodName(), f.fileName(), f.line());
        }
        return elements;
    }

    /** What is wrong with this failure as received from a peer (null, over a bound), or null if nothing. */
    String violation() {
        if (type == null) {
            return "no exception type";
        }
        String tooLong = tooLong("type name", type, MAX_TYPE_CHARS);
        if (tooLong == null) {
            tooLong = tooLong("message", message, MAX_MESSAGE_CHARS);
        }
        if (tooLong != null) {
            return tooLong;
        }
        if (stack.size() > MAX_FRAMES) {
            return stack.size() + " stack frames, more than " + MAX_FRAMES;
        }
        for (StackFrame f : stack) {
            if (f.className() == null || f.methodName() == null) {
                return "a stack frame without class or method name";
            }
            for (String s : new String[] {f.className(), f.methodName(), f.fileName()}) {
                if ((tooLong = tooLong("stack frame name", s, MAX_FRAME_CHARS)) != null) {
                    return tooLong;
                }
            }
        }
        return null;
    }

    private static String tooLong(String what, String s, int max) {
        return s != null && s.length() > max ? what + " of " + s.length() + " chars, more than " + max : null;
    }

    /** {@code s} cut to at most {@code max} chars, marked as truncated, never splitting a surrogate pair. */
    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - TRUNCATED.length();
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + TRUNCATED;
    }
}
