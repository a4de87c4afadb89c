package io.cordon.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into Gogo commands at top-level {@code ;} and newlines, leaving separators inside
 * quotes, braces, brackets and parentheses alone, so each command's result can be printed on its own.
 */
final class CommandSplitter {

    private CommandSplitter() {
    }

    static List<String> split(CharSequence script) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (c == '\\' && i + 1 < script.length()) {
                current.append(c).append(script.charAt(++i));
                continue;
            }
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == ';' || c == '\n')) {
                add(commands, current);
                continue;
            }
            current.append(c);
        }
        add(commands, current);
        return commands;
    }

    private static void add(List<String> commands, StringBuilder current) {
        String command = current.toString().strip();
        current.setLength(0);
        if (!command.isEmpty() && !command.startsWith("#")) {
            commands.add(command);
        }
    }
}
