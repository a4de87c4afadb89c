package io.cordon.main.host;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.cordon.api.RendererType;

/**
 * A renderer type, as a ConfigAdmin factory configuration ({@value RendererType#FACTORY_PID}). Lists
 * are comma-separated (FileInstall's {@code .cfg} files carry plain strings). Locations are files or
 * folders (every {@code *.jar} inside, by name) relative to {@code cordon.home}, or URLs. Folders and
 * files are hot: a jar added, replaced or deleted there reaches the type's running renderers.
 */
@ObjectClassDefinition(name = "Cordon renderer type")
@interface RendererTypeConfig {

    @AttributeDefinition(description = "Type name (defaults to the configuration's name after the dash)")
    String name() default "";

    @AttributeDefinition(description = "Renderers of this type started with the type")
    int instances() default 1;

    @AttributeDefinition(description = "Preload bundle locations, started first (comma-separated)")
    String preload() default "";

    @AttributeDefinition(description = "Renderer bundle locations, started after the preload (comma-separated); "
            + "default: the folder renderers/NAME in the deploy folder. Jars added, replaced or deleted in a folder "
            + "are installed, updated or uninstalled in the type's running renderers")
    String bundles() default "";

    @AttributeDefinition(description = "update | restart: a changed bundle file is applied inside the running renderers, "
            + "or the type's renderers restart one at a time")
    String bundle_update() default "update";

    @AttributeDefinition(description = "Heap limit of each renderer JVM, MiB; an edit restarts the running renderers one at a time")
    int heap_mb() default 64;

    @AttributeDefinition(description = "Extra JVM options (comma-separated); an edit restarts the running renderers one at a time")
    String jvm_options() default "";

    @AttributeDefinition(description = "never | on-crash")
    String restart() default "on-crash";

    @AttributeDefinition(description = "First restart delay, ms; doubles after each consecutive crash")
    long restart_backoff_ms() default 500;

    @AttributeDefinition(description = "Cap of the restart delay, ms")
    long restart_backoff_max_ms() default 30_000;

    @AttributeDefinition(description = "OS sandbox: off, auto (the best available, else none with a warning) or strict (refuse to spawn without one); an edit restarts the running renderers one at a time")
    String sandbox() default "auto";

    @AttributeDefinition(description = "Added to main's nice value for each renderer process, 0..19 (0: main's priority); "
            + "an edit restarts the running renderers one at a time")
    int nice() default 10;

    @AttributeDefinition(description = "Cores each renderer may use (cgroup v2 cpu.max, e.g. 0.5), 0 for no limit; "
            + "applied where main can create cgroup v2 groups")
    double cpu() default 0;

    @AttributeDefinition(description = "Memory of each renderer process in MiB (cgroup v2 memory.max: heap and native), 0 for no limit; "
            + "must be larger than heap.mb")
    long memory_mb() default 0;

    @AttributeDefinition(description = "Processes and threads of each renderer (cgroup v2 pids.max), 0 for no limit")
    int pids() default 0;

    @AttributeDefinition(description = "Main services renderers may call: INTERFACE[(FILTER)][#METHOD|METHOD...], comma-separated")
    String whitelist() default "";

    @AttributeDefinition(description = "Interfaces renderers may export back to main (comma-separated); others are not imported")
    String provides() default "";

    @AttributeDefinition(description = "MiB main holds for one renderer each way (its unfinished messages and calls "
            + "waiting to be served; what main queued for it to read); exceeding it kills the renderer (bad-message)")
    int buffer_mb() default 64;

    @AttributeDefinition(description = "Main's threads one renderer's calls may occupy at once; its further calls wait in its own queue")
    int invoker_threads() default 4;

    @AttributeDefinition(description = "shm | pipe: the channel's transport, shared-memory rings (where they work, "
            + "else the pipe, logged once) or the child's stdin/stdout; an edit restarts the running renderers one at a time")
    String transport() default "shm";

    @AttributeDefinition(description = "Development only: export every remotable main service to these renderers; refused in production mode")
    boolean trusted() default false;
}
