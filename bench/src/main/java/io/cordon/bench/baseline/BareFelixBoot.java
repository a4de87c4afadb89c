package io.cordon.bench.baseline;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Main class of the baseline child JVM (run from the class path, not as a bundle): a bare Felix with
 * the bundles named on the command line (SCR and its API bundles), nothing of Cordon. Prints
 * {@value #READY} on stdout once every bundle is active, then idles until stdin closes, so the parent
 * can measure its memory and no baseline JVM outlives the bench.
 *
 * <p>Arguments: the framework storage folder, then the bundle jars.
 */
public final class BareFelixBoot {

    public static final String READY = "READY";

    private BareFelixBoot() {
    }

    public static void main(String[] args) throws Exception {
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(Map.of(
                        "org.osgi.framework.storage", args[0],
                        "org.osgi.framework.storage.clean", "onFirstInit",
                        "felix.log.level", "1"));
        framework.start();
        List<Bundle> bundles = install(framework.getBundleContext(), List.of(args).subList(1, args.length));
        for (Bundle bundle : bundles) {
            bundle.start();
        }
        List<String> inactive = bundles.stream().filter(b -> b.getState() != Bundle.ACTIVE).map(Bundle::getSymbolicName).toList();
        System.out.println(inactive.isEmpty() ? READY : "FAILED not active: " + inactive);
        System.out.flush();
        System.in.transferTo(OutputStream.nullOutputStream());
        // Nothing here needs an orderly stop: the parent deletes the storage folder.
        Runtime.getRuntime().halt(inactive.isEmpty() ? 0 : 1);
    }

    private static List<Bundle> install(BundleContext context, List<String> jars) throws Exception {
        List<Bundle> bundles = new ArrayList<>();
        for (String jar : jars) {
            bundles.add(context.installBundle(Path.of(jar).toUri().toString()));
        }
        return bundles;
    }
}
