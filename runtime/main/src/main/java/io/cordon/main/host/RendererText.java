package io.cordon.main.host;

/**
 * Text from a renderer, made safe for main's log and the shell: quoted, backslashes and quotes escaped,
 * control, format (such as bidi overrides) and line-separator characters written as escapes, and cut to
 * a length, so one renderer cannot forge log lines, hide text or flood a line.
 */
final class RendererText {

    private RendererText() {
    }

    static String quote(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 8).append('"');
        int shown = Math.min(text.length(), maxChars);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(shown < text.length() ? "…\"" : "\"").toString();
    }

    private static boolean unsafe(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
