package dev.cartool.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
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
        return create(dir, prefix, suffix, false);
    }

    /**
     * A new file in {@code dir} opened for reading and writing and unlinked at once: nothing is
     * left behind, even on a kill, and closing the channel frees its space (spools, tables).
     */
    public static java.nio.channels.FileChannel unlinked(Path dir, String prefix) throws IOException {
        Path f = privateFile(dir, prefix, ".tmp");
        try {
            return java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /**
     * Creates an empty file named {@code prefix + random + suffix} in {@code dir} that only its
     * owner may read (0600), for data of the user's kept aside a while (spools, sort runs, table
     * files), as {@link Files#createTempFile} does but without its {@code SecureRandom}. That one's
     * first use loads SHA-1's class, a second subclass of the JDK's digest base, so compiled code
     * that took SHA-256 as its only one is thrown away and compiled again: about thirty methods,
     * the hashing among them, at the first table file of an extract of 11.6 million blocks.
     */
    public static Path privateFile(Path dir, String prefix, String suffix) throws IOException {
        return create(dir, prefix, suffix, true);
    }

    /** A new empty file under a fresh name, 0600 if {@code ownerOnly} (where POSIX permissions exist). */
    private static Path create(Path dir, String prefix, String suffix, boolean ownerOnly) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path f = dir.resolve(name(prefix, suffix));
            try {
                return ownerOnly ? Files.createFile(f, OWNER_ONLY) : Files.createFile(f);
            } catch (UnsupportedOperationException e) {
                return Files.createFile(f); // no POSIX permissions here
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

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

    /**
     * Deletes a tree (a temporary or staging directory) without following symlinks; a directory
     * made read-only is made writable again to be emptied.
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted meanwhile
                }
                throw e;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException ignored) {
                    // not POSIX
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String name(String prefix, String suffix) {
        return prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix;
    }
}
