package io.cordon.main.log;

/**
 * Renderer text made safe for main's log: control characters (newline, CR, ESC, …), Unicode line and
 * bidi controls escaped, length capped. No line a renderer causes can pass for one of main's or rewrite
 * the terminal.
 */
public final class Untrusted {

    /** The usual cap of one renderer-supplied string in a log line. */
    public static final int MAX_CHARS = 512;

    private Untrusted() {
    }

    /**
     * {@code text} escaped and cut to about {@code max} characters (an escape or a surrogate pair is never split,
     * so a few more), with how much was cut; {@code null} for null.
     */
    public static String text(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            escape(text.charAt(i), out);
        }
        if (i > 0 && i < text.length() && Character.isSurrogatePair(text.charAt(i - 1), text.charAt(i))) {
            out.append(text.charAt(i++));
        }
        if (i < text.length()) {
            out.append("…(").append(text.length() - i).append(" more chars)");
        }
        return out.toString();
    }

    /** {@code text} escaped, capped at {@link #MAX_CHARS} and in double quotes; {@code null}, unquoted, for null. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        return '"' + text(text, MAX_CHARS).replace("\"", "\\\"") + '"';
    }

    private static void escape(char c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            default -> {
                if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029'
                        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
    }
}
