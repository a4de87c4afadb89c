package io.cordon.launcher;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The command a mistyped name most likely meant: the closest by edit distance (a swap of two
 * neighbours counts once), compared scoped to scoped ({@code cordon:renderes}) or function to
 * function ({@code renderes}), and suggested with its scope.
 */
final class DidYouMean {

    private DidYouMean() {
    }

    static Optional<String> closest(String typed, Collection<String> commands) {
        boolean scoped = typed.contains(":");
        int limit = Math.max(1, Math.min(3, typed.length() / 3));
        return commands.stream()
                .filter(c -> distance(typed, scoped ? c : function(c)) <= limit)
                .min(Comparator.comparingInt((String c) -> distance(typed, scoped ? c : function(c)))
                        .thenComparing(c -> !c.startsWith("cordon:"))
                        .thenComparing(Comparator.naturalOrder()));
    }

    private static String function(String command) {
        return command.substring(command.indexOf(':') + 1);
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
