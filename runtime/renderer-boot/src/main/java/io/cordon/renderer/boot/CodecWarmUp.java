package io.cordon.renderer.boot;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

import io.cordon.common.channel.Contract;

/**
 * Loads the RSA codec's Jackson classes on a thread of its own while the runtime bundles start: building the
 * codec is the largest single part of a cold renderer's start-up (Jackson's classes, about 130 ms here), and it
 * would otherwise wait until SCR, Gogo and the other runtime bundles are up and {@code io.cordon.renderer}'s RSA
 * component builds its codec. The codec built here is thrown away; the classes it loaded stay. Best effort: a
 * failure here is the RSA component's to report when it builds its own.
 */
final class CodecWarmUp {

    static final String RSA_BUNDLE = "io.cordon.rsa";
    private static final String PACKAGE = "io.cordon.common.rsa.codec.";

    private CodecWarmUp() {
    }

    /** Starts the warm-up if {@code installed} has the RSA engine and the framework resolves it. */
    static void start(Framework framework, List<Bundle> installed) {
        Optional<Bundle> rsa = installed.stream().filter(b -> RSA_BUNDLE.equals(b.getSymbolicName())).findFirst();
        if (rsa.isEmpty() || !framework.adapt(FrameworkWiring.class).resolveBundles(List.of(rsa.get()))) {
            return;
        }
        String format = Optional.ofNullable(framework.getBundleContext().getProperty(Contract.RSA_WIRE_FORMAT))
                .filter(f -> !f.isBlank()).orElse("smile").trim().toUpperCase(Locale.ROOT);
        Thread thread = new Thread(() -> warm(rsa.get(), format), "cordon-renderer-codec-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void warm(Bundle rsa, String format) {
        try {
            Class<? extends Enum> wireFormat = (Class<? extends Enum>) rsa.loadClass(PACKAGE + "WireFormat");
            rsa.loadClass(PACKAGE + "Codec").getConstructor(wireFormat).newInstance(Enum.valueOf(wireFormat, format));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // the RSA component builds the codec itself and reports what is wrong
        }
    }
}
