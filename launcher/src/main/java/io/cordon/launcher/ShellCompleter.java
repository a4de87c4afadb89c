package io.cordon.launcher;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names (with their scope, and bare), then renderer ids after the
 * {@code cordon:} commands that take one and type names after {@code cordon:spawn}.
 */
final class ShellCompleter implements Completer {

    private static final Set<String> TAKE_ID = Set.of("stop", "restart", "kill", "exec", "exports");
    private static final String TAKES_TYPE = "spawn";

    private volatile GogoSession session;
    private volatile RendererNames renderers;

    /** Completion starts once the Gogo session is there. */
    void connect(GogoSession session, RendererNames renderers) {
        this.session = session;
        this.renderers = renderers;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        GogoSession gogo = session;
        if (gogo == null) {
            return;
        }
        if (line.wordIndex() == 0) {
            commandNames(gogo.commands()).forEach(name -> candidates.add(new Candidate(name)));
        } else if (line.wordIndex() == 1) {
            String function = cordonFunction(line.words().get(0), gogo.commands());
            if (TAKE_ID.contains(function)) {
                renderers.ids().forEach(id -> candidates.add(new Candidate(id)));
            } else if (TAKES_TYPE.equals(function)) {
                renderers.types().forEach(type -> candidates.add(new Candidate(type)));
            }
        }
    }

    /** {@code scope:function} and, unless another scope has it too, the bare {@code function}. */
    static Set<String> commandNames(Set<String> commands) {
        Set<String> names = new LinkedHashSet<>(commands);
        for (String command : commands) {
            String function = command.substring(command.indexOf(':') + 1);
            if (commands.stream().filter(c -> c.endsWith(":" + function)).count() == 1) {
                names.add(function);
            }
        }
        return names;
    }

    /** The function of a {@code cordon:} command as typed, scoped or bare (when no other scope has it); else empty. */
    static String cordonFunction(String word, Set<String> commands) {
        String scoped = word;
        if (!word.contains(":")) {
            List<String> matches = commands.stream().filter(c -> c.endsWith(":" + word)).toList();
            scoped = matches.size() == 1 ? matches.get(0) : word;
        }
        return scoped.startsWith("cordon:") ? scoped.substring("cordon:".length()) : "";
    }
}
