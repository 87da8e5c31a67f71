package dev.cartool.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Publishing what was written: the rename that makes a finished output appear, and the flush of
 * the directory that makes the rename survive a power cut. One place for what the extractor,
 * the store and {@link AtomicFile} all do.
 */
public final class Durable {
    private Durable() {
    }

    /**
     * Renames {@code from} to {@code to}, atomically where the filesystem can (rename(2)).
     *
     * @param replace whether an existing {@code to} (a file, a symlink, an empty directory) may
     *     be replaced; without it a move onto an existing file may still fail or, on filesystems
     *     whose rename replaces, succeed: callers that must never replace use a link instead
     */
    public static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
        }
    }

    /** Flushes a directory's entries to disk; a no-op where directories cannot be synced. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform syncs directories; the files themselves were flushed
        }
    }
}
