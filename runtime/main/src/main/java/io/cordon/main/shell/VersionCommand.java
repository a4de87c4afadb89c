package io.cordon.main.shell;

import java.time.Duration;
import java.time.Instant;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cordon.api.CordonRuntime;

/** {@code cordon:version}: what is running, one {@code key value} pair a line. */
@Component(service = VersionCommand.class,
        property = {"osgi.command.scope=cordon", "osgi.command.function=version"})
public final class VersionCommand {

    private final CordonRuntime runtime;

    @Activate
    public VersionCommand(@Reference CordonRuntime runtime) {
        this.runtime = runtime;
    }

    @Descriptor("print the Cordon, Felix and Java versions, the mode and the uptime")
    public String version() {
        Duration uptime = Duration.between(runtime.startedAt(), Instant.now());
        return Table.keyValues(
                "cordon", runtime.version(),
                "felix", runtime.frameworkVersion(),
                "java", System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
                "mode", runtime.production() ? "production" : "dev",
                "uptime", Durations.format(uptime));
    }
}
