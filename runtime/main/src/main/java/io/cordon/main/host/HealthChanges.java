package io.cordon.main.host;

import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.service.log.Logger;

import io.cordon.api.RendererEvent;
import io.cordon.api.RendererHealth;
import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.Messages.Health.Problem;
import io.cordon.main.log.Untrusted;

/**
 * What main makes of a renderer's HEALTH reports once it is READY: one WARN line naming every bundle and
 * component that does not work (and each missing reference) when it becomes degraded or what is wrong
 * changes, one INFO line when it is healthy again, and the event to post. Renderer text is neutralised.
 */
final class HealthChanges {

    /** An event to post: its kind and detail. */
    record Change(RendererEvent.Kind kind, String detail) {
    }

    private static final int MAX_LISTED = 8;

    private HealthChanges() {
    }

    static RendererHealth of(Health health) {
        return health == null ? RendererHealth.UNKNOWN : health.ok() ? RendererHealth.OK : RendererHealth.DEGRADED;
    }

    /** The change from {@code before} to {@code now} (either null while unknown), logged; empty when nothing changed. */
    static Optional<Change> logged(Logger log, int id, String type, Health before, Health now) {
        if (now == null || now.equals(before) || now.ok() && (before == null || before.ok())) {
            return Optional.empty();
        }
        if (now.ok()) {
            log.info("renderer {} ({}) is healthy again: every bundle active, every component satisfied", id, type);
            return Optional.of(new Change(RendererEvent.Kind.HEALTHY, ""));
        }
        String problems = describe(now);
        log.warn("renderer {} ({}) is DEGRADED: {}; 'cordon:exec {} scr:info COMPONENT' tells more", id, type, problems, id);
        return Optional.of(new Change(RendererEvent.Kind.DEGRADED, problems));
    }

    /** The first problems, as {@code component "NAME" unsatisfied: "missing reference R (I)"; bundle "B 1.0" not active: "…"}. */
    static String describe(Health health) {
        String problems = health.problems().stream().limit(MAX_LISTED).map(HealthChanges::describe).collect(Collectors.joining("; "));
        int more = health.problems().size() - Math.min(MAX_LISTED, health.problems().size()) + health.omitted();
        return more == 0 ? problems : problems + "; and " + more + " more";
    }

    private static String describe(Problem p) {
        String subject = Untrusted.quote(p.subject());
        String detail = Untrusted.quote(p.detail());
        return switch (p.kind()) {
            case BUNDLE_INACTIVE -> "bundle " + subject + " not active: " + detail;
            case COMPONENT_UNSATISFIED -> "component " + subject + " unsatisfied: " + detail;
            case COMPONENT_FAILED -> "component " + subject + " failed: " + detail;
        };
    }
}
