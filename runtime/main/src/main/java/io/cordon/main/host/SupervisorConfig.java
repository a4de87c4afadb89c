package io.cordon.main.host;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Limits and timings of the renderer supervisor (PID {@code io.cordon.supervisor}). */
@ObjectClassDefinition(name = "Cordon renderer supervisor")
@interface SupervisorConfig {

    @AttributeDefinition(description = "Most renderers alive at once; spawning beyond fails")
    int max_renderers() default 32;

    @AttributeDefinition(description = "Spare renderers kept in all (0: none): JVMs started ahead with Cordon's runtime, in their sandbox, "
            + "waiting for a type; a spawn or restart of a type with the same process settings takes one. They count against "
            + "max.renderers, and give way to renderers")
    int spare_renderers() default 1;

    @AttributeDefinition(description = "Heartbeat period, ms")
    long heartbeat_ms() default 1_000;

    @AttributeDefinition(description = "Silence after which a renderer is reported UNRESPONSIVE, ms")
    long unresponsive_ms() default 5_000;

    @AttributeDefinition(description = "Silence after which an unresponsive renderer is killed (0: never), ms")
    long unresponsive_kill_ms() default 30_000;

    @AttributeDefinition(description = "Time a renderer may leave main's messages unread before it is killed as unresponsive, ms")
    long drain_timeout_ms() default 15_000;

    @AttributeDefinition(description = "Lines of a renderer's log (stderr) relayed per second; more are dropped and counted")
    int log_lines_per_second() default 200;

    @AttributeDefinition(description = "Time a renderer has to become READY, ms")
    long start_timeout_ms() default 60_000;

    @AttributeDefinition(description = "Time a renderer has to exit after SHUTDOWN before SIGKILL, ms")
    long stop_timeout_ms() default 10_000;

    @AttributeDefinition(description = "Time a renderer has to answer cordon:exec, ms")
    long exec_timeout_ms() default 30_000;

    @AttributeDefinition(description = "Class data sharing for renderer JVMs: an archive of their classes, built by the first renderer "
            + "and mapped by the others (AppCDS; the AOT cache on Java 25+), in the data folder")
    boolean class_data_sharing() default true;

    @AttributeDefinition(description = "JVM options every renderer gets before its type's own")
    String jvm_options() default "-XX:+UseSerialGC,-XX:TieredStopAtLevel=1,-Xss512k,-Xms8m,-XX:-UsePerfData";
}
