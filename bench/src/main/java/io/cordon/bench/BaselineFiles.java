package io.cordon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the bare Felix + SCR baseline child runs, as the bench module's build lays it out in
 * {@code target/baseline/}: the framework jar and this bundle's jar (the bootstrap) for the class
 * path, and {@code bundles/*.jar} to install.
 */
record BaselineFiles(List<Path> classPath, List<Path> bundles) {

    static final String PROPERTY = "bench.baseline.dir";

    static BaselineFiles in(Path dir) throws IOException {
        List<Path> classPath = List.of(dir.resolve("org.apache.felix.framework.jar"), dir.resolve("io.cordon.bench.jar"));
        for (Path jar : classPath) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing; build with ./mvnw package and run bench/run");
            }
        }
        try (Stream<Path> jars = Files.list(dir.resolve("bundles"))) {
            List<Path> bundles = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (bundles.isEmpty()) {
                throw new IllegalStateException("no bundles in " + dir.resolve("bundles"));
            }
            return new BaselineFiles(classPath, bundles);
        }
    }
}
