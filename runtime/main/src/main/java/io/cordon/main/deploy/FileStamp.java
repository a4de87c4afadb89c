package io.cordon.main.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** Size and modification time: enough to tell that a file changed, without reading it. */
public record FileStamp(long size, long modifiedMillis) {

    /** The file's stamp, or empty when it vanished between listing and reading. */
    public static Optional<FileStamp> of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
