package io.cordon.main.rsa;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of Cordon's Remote Service Admin (PID {@code io.cordon.rsa}), main and renderers alike. */
@ObjectClassDefinition(name = "Cordon RSA")
@interface RsaConfig {

    @AttributeDefinition(description = "Default timeout of a remote call, ms; an endpoint's osgi.basic.timeout may shorten it "
            + "for calls into a renderer, never lengthen it")
    long call_timeout_ms() default 30_000;

    @AttributeDefinition(description = "Calls one renderer may have in flight to main; one more is a bad message")
    int max_in_flight() default 256;

    @AttributeDefinition(description = "Calls per second one renderer may make to main (bursts of one second); more are refused")
    int max_call_rate() default 50_000;

    @AttributeDefinition(description = "Wire format: smile (binary, default) or json")
    String wire_format() default "smile";
}
