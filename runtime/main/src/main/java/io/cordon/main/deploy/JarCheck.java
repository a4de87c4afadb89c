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

    private JarCheck() {
    }

    /** Empty when the file is a jar with a manifest naming a bundle, else the reason it is not. */
    public static Optional<String> problem(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of("no META-INF/MANIFEST.MF");
            }
            if (manifest.getMainAttributes().getValue(SYMBOLIC_NAME) == null) {
                return Optional.of("its manifest has no Bundle-SymbolicName header");
            }
            return Optional.empty();
        } catch (ZipException e) {
            return Optional.of("not a zip/jar file (" + e.getMessage() + ")");
        } catch (IOException e) {
            return Optional.of("cannot read it (" + e + ")");
        }
    }
}
