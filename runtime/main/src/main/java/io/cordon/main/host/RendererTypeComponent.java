package io.cordon.main.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.cordon.api.RendererType;
import io.cordon.main.deploy.DeploySettings;
import io.cordon.main.rsa.WhitelistPolicy;

/** One renderer type per factory configuration; tells the supervisor when it appears, changes or goes. */
@Component(configurationPid = RendererType.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = RendererTypeConfig.class, factory = true)
public final class RendererTypeComponent {

    /** Where a type without {@code bundles} gets its renderer bundles from: {@code <deploy>/renderers/<name>/}. */
    static final String DEFAULT_FOLDER = "renderers";
    /** Below this a renderer JVM cannot start its own threads (GC, compiler, Felix, SCR, the channel). */
    static final int MIN_PIDS = 32;
    private static final int MAX_CPUS = 1024;

    private final RendererSupervisor supervisor;
    private final Path deploy;
    private String name;

    @Activate
    public RendererTypeComponent(@Reference RendererSupervisor supervisor, BundleContext context, RendererTypeConfig config,
                                 Map<String, Object> properties) {
        this.supervisor = supervisor;
        this.deploy = DeploySettings.dir(context);
        modified(config, properties);
    }

    @Modified
    void modified(RendererTypeConfig config, Map<String, Object> properties) {
        RendererType type = toType(config, properties, deploy.resolve(DEFAULT_FOLDER));
        if (config.bundles().isBlank()) {
            try {
                Files.createDirectories(Path.of(type.bundles().get(0)));
            } catch (IOException e) {
                // a read-only deploy folder: the type still works, and hot deploy warns that its folder is missing
            }
        }
        if (name != null && !name.equals(type.name())) {
            supervisor.typeRemoved(name);
        }
        name = type.name();
        supervisor.typeChanged(type);
    }

    @Deactivate
    void deactivate() {
        supervisor.typeRemoved(name);
    }

    /** The type a configuration describes; without {@code bundles}, its bundles come from {@code defaultRoot/NAME}. */
    static RendererType toType(RendererTypeConfig config, Map<String, Object> properties, Path defaultRoot) {
        String name = config.name().isBlank() ? nameFromPid(properties) : config.name().trim();
        if (config.instances() < 0 || config.heap_mb() < 16) {
            throw new IllegalArgumentException("renderer type " + name + ": instances must be >= 0 and heap.mb >= 16");
        }
        RendererType.RestartPolicy restart = switch (config.restart().trim().toLowerCase(Locale.ROOT)) {
            case "never" -> RendererType.RestartPolicy.NEVER;
            case "on-crash", "on_crash" -> RendererType.RestartPolicy.ON_CRASH;
            default -> throw new IllegalArgumentException("renderer type " + name + ": restart must be never or on-crash, got '"
                    + config.restart() + "'");
        };
        RendererType.SandboxPolicy sandbox = switch (config.sandbox().trim().toLowerCase(Locale.ROOT)) {
            case "off" -> RendererType.SandboxPolicy.OFF;
            case "auto" -> RendererType.SandboxPolicy.AUTO;
            case "strict" -> RendererType.SandboxPolicy.STRICT;
            default -> throw new IllegalArgumentException("renderer type " + name + ": sandbox must be off, auto or strict, got '"
                    + config.sandbox() + "'");
        };
        RendererType.BundleUpdatePolicy bundleUpdate = switch (config.bundle_update().trim().toLowerCase(Locale.ROOT)) {
            case "update" -> RendererType.BundleUpdatePolicy.UPDATE;
            case "restart" -> RendererType.BundleUpdatePolicy.RESTART;
            default -> throw new IllegalArgumentException("renderer type " + name + ": bundle.update must be update or restart, got '"
                    + config.bundle_update() + "'");
        };
        RendererType.Transport transport = switch (config.transport().trim().toLowerCase(Locale.ROOT)) {
            case "shm" -> RendererType.Transport.SHM;
            case "pipe" -> RendererType.Transport.PIPE;
            default -> throw new IllegalArgumentException("renderer type " + name + ": transport must be shm or pipe, got '"
                    + config.transport() + "'");
        };
        List<String> bundles = config.bundles().isBlank() ? List.of(defaultRoot.resolve(name).toString()) : list(config.bundles());
        return new RendererType(name, config.instances(), list(config.preload()), bundles, config.heap_mb(),
                list(config.jvm_options()), restart, config.restart_backoff_ms(), config.restart_backoff_max_ms(), sandbox,
                WhitelistPolicy.parse(name, config.whitelist()), list(config.provides()), config.trusted(), bundleUpdate,
                new RendererType.Budget(config.buffer_mb(), config.invoker_threads()), resources(name, config), transport);
    }

    /** The type's {@code nice}, {@code cpu}, {@code memory.mb} and {@code pids}, checked. */
    static RendererType.Resources resources(String name, RendererTypeConfig config) {
        RendererType.Resources r = new RendererType.Resources(config.nice(), config.cpu(), config.memory_mb(), config.pids());
        check(name, r.nice() >= 0 && r.nice() <= 19, "nice must be 0..19, got " + r.nice());
        check(name, r.cpu() >= 0 && r.cpu() <= MAX_CPUS, "cpu must be 0 (no limit) or a number of cores up to " + MAX_CPUS
                + ", got " + r.cpu());
        check(name, r.memoryMb() == 0 || r.memoryMb() > config.heap_mb(), "memory.mb (the whole process) must be 0 (no limit) "
                + "or more than heap.mb (" + config.heap_mb() + "), got " + r.memoryMb());
        check(name, r.pids() == 0 || r.pids() >= MIN_PIDS, "pids must be 0 (no limit) or at least " + MIN_PIDS
                + " (a renderer JVM runs about 20 threads), got " + r.pids());
        return r;
    }

    private static void check(String name, boolean valid, String problem) {
        if (!valid) {
            throw new IllegalArgumentException("renderer type " + name + ": " + problem);
        }
    }

    /** {@code io.cordon.renderer.type-sample.cfg} gets the name FileInstall records, else the PID's tail. */
    private static String nameFromPid(Map<String, Object> properties) {
        Object fileName = properties.get("felix.fileinstall.filename");
        if (fileName != null) {
            String file = fileName.toString();
            String base = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.(cfg|config)$", "");
            return base.substring(base.indexOf('-') + 1);
        }
        String pid = String.valueOf(properties.get("service.pid"));
        return pid.substring(pid.lastIndexOf('~') + 1);
    }

    static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
