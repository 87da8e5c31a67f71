package dev.cartool.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh, unused names beside an output, created with the permissions a new file or directory
 * gets there (0666 or 0777 less the umask), so that what is renamed into place looks like any
 * other file the user makes. {@link Files#createTempFile} would make it private (0600/0700),
 * which an extracted image shared on a cluster must not be.
 */
public final class TempPaths {
    private TempPaths() {
    }

    /** Creates an empty file named {@code prefix + random + suffix} in {@code dir}. */
    public static Path file(Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createFile(dir.resolve(name(prefix, suffix)));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** Creates an empty directory named {@code prefix + random} in {@code dir}. */
    public static Path directory(Path dir, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(dir.resolve(name(prefix, "")));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static String name(String prefix, String suffix) {
        return prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix;
    }
}
