package io.cordon.main.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/** Why a jar cannot be a bundle, in words a user can act on; the same tests FileInstall applies. */
public final class JarCheck {

    private static final Attributes.Name SYMBOLIC_NAME = new Attributes.Name("Bundle-SymbolicName");
    private static final Attributes.Name CREATED_BY = new Attributes.Name("Created-By");
    /** The usual way a Maven-built jar loses bnd's manifest, and its fix. */
    static final String JAR_PLUGIN_FIX = "likely built with bnd-maven-plugin but packed by maven-jar-plugin with a manifest "
            + "of its own: give maven-jar-plugin <archive><manifestFile>${project.build.outputDirectory}/META-INF/MANIFEST.MF"
            + "</manifestFile></archive>, the manifest bnd-maven-plugin writes";
    static final String NOT_A_BUNDLE = "a plain jar, not an OSGi bundle: build it with bnd (bnd-maven-plugin) or use an OSGi "
            + "build of the library";

    private JarCheck() {
    }

    /** Empty when the file is a jar with a manifest naming a bundle, else the reason it is not. */
    public static Optional<String> problem(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of("no META-INF/MANIFEST.MF; " + NOT_A_BUNDLE);
            }
            if (manifest.getMainAttributes().getValue(SYMBOLIC_NAME) == null) {
                return Optional.of("its manifest has no OSGi headers (no Bundle-SymbolicName); "
                        + (builtByMavenJarPlugin(manifest, jar) ? JAR_PLUGIN_FIX : NOT_A_BUNDLE));
            }
            return Optional.empty();
        } catch (ZipException e) {
            return Optional.of("not a zip/jar file (" + e.getMessage() + ")");
        } catch (IOException e) {
            return Optional.of("cannot read it (" + e + ")");
        }
    }

    /** Packed by maven-jar-plugin, or holding bnd's component descriptions (OSGI-INF/) under a manifest without them. */
    private static boolean builtByMavenJarPlugin(Manifest manifest, JarFile jar) {
        String createdBy = manifest.getMainAttributes().getValue(CREATED_BY);
        return createdBy != null && createdBy.contains("Maven JAR Plugin")
                || jar.stream().anyMatch(entry -> entry.getName().startsWith("OSGI-INF/"));
    }
}
