package io.cordon.main.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text tables for Gogo output: a header row, columns padded with spaces, no borders, so that
 * a terminal reads them and {@code awk} splits them.
 */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(Object... cells) {
        String[] text = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            text[i] = cells[i] == null || cells[i].toString().isEmpty() ? "-" : cells[i].toString();
        }
        rows.add(text);
        return this;
    }

    @Override
    public String toString() {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                out.append(row[i]);
                if (i < columns - 1) {
                    out.append(" ".repeat(width[i] - row[i].length() + 2));
                }
            }
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** Two-column {@code key value} lines from alternating keys and values. */
    static String keyValues(String... keysAndValues) {
        StringBuilder out = new StringBuilder();
        int width = 0;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            width = Math.max(width, keysAndValues[i].length());
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.append(keysAndValues[i]).append(" ".repeat(width - keysAndValues[i].length() + 2))
                    .append(keysAndValues[i + 1]).append('\n');
        }
        out.setLength(Math.max(0, out.length() - 1));
        return out.toString();
    }
}
