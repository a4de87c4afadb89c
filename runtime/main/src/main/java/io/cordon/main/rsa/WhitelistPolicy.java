package io.cordon.main.rsa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

import io.cordon.api.WhitelistEntry;
import io.cordon.common.rsa.ExportedService;

/**
 * A renderer type's preload whitelist, the main-side half of the double opt-in: which remotable main
 * services, and which of their methods, a renderer of the type may call. Parsed from the type's
 * configuration, applied when main announces endpoints to a renderer and, through the announced
 * method ids, to every call the renderer makes.
 */
public final class WhitelistPolicy {

    private final List<Rule> rules;
    private final boolean trusted;

    private record Rule(WhitelistEntry entry, Filter filter) {
    }

    public WhitelistPolicy(List<WhitelistEntry> entries, boolean trusted) {
        this.trusted = trusted;
        this.rules = entries.stream().map(e -> new Rule(e, filter(e))).toList();
    }

    /** Parses {@code INTERFACE[(FILTER)][#METHOD|METHOD…]} entries, comma-separated outside parentheses. */
    public static List<WhitelistEntry> parse(String type, String text) {
        List<WhitelistEntry> entries = new ArrayList<>();
        for (String item : splitTopLevel(text)) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int hash = s.lastIndexOf('#');
            String methods = "";
            if (hash >= 0 && s.indexOf(')', hash) < 0) {
                methods = s.substring(hash + 1).trim();
                s = s.substring(0, hash).trim();
            }
            int paren = s.indexOf('(');
            String service = paren < 0 ? s : s.substring(0, paren).trim();
            String filter = paren < 0 ? "" : s.substring(paren).trim();
            if (!service.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
                throw new IllegalArgumentException("renderer type " + type + ": whitelist entry '" + item.trim()
                        + "' does not start with an interface name; write INTERFACE[(FILTER)][#METHOD|METHOD...]");
            }
            List<String> names = methods.isEmpty() || methods.equals("*") ? List.of()
                    : Arrays.stream(methods.split("\\|")).map(String::trim).filter(m -> !m.isEmpty()).toList();
            WhitelistEntry entry = new WhitelistEntry(service, filter, names);
            try {
                filter(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("renderer type " + type + ": " + e.getMessage());
            }
            entries.add(entry);
        }
        return entries;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    private static Filter filter(WhitelistEntry entry) {
        if (entry.filter().isEmpty()) {
            return null;
        }
        try {
            return FrameworkUtil.createFilter(entry.filter());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("whitelist entry " + entry + " has an invalid filter: " + e.getMessage());
        }
    }

    public boolean trusted() {
        return trusted;
    }

    /** May the renderer call method {@code id} of this export? */
    public boolean allows(ExportedService service, int id) {
        if (trusted) {
            return true;
        }
        Map<String, Object> properties = service.description().getProperties();
        for (Rule rule : rules) {
            if (service.owners(id).contains(rule.entry().service())
                    && (rule.filter() == null || rule.filter().matches(properties))
                    && (rule.entry().methods().isEmpty() || rule.entry().methods().contains(service.methods().get(id).method().getName()))) {
                return true;
            }
        }
        return false;
    }

    /** Does the renderer see this export at all? */
    public boolean exposes(ExportedService service) {
        for (int id = 0; id < service.methods().size(); id++) {
            if (allows(service, id)) {
                return true;
            }
        }
        return false;
    }
}
