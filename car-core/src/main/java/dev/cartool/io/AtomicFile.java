package dev.cartool.io;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An output that appears under its name only when complete: bytes go to a temporary file in
 * the target's directory, which {@link #commit()} flushes to disk and renames over the target,
 * then flushes the directory, so that the name survives a power cut as the bytes do.
 * Closing without committing deletes the temporary file, so a failure leaves nothing behind.
 */
public final class AtomicFile implements Closeable {
    private final Path target;
    private final Path temp;
    private final boolean replace;
    private final FileChannel channel;
    private final OutputStream out;
    private volatile boolean committed;
    private boolean closed;
    private final EarlyFlush flush;
    /** The temporary file opened again past the page cache, once asked for. */
    private FileChannel direct;
    private final Thread onExit;

    private AtomicFile(Path target, boolean replace) throws IOException {
        this.target = target.toAbsolutePath();
        this.replace = replace;
        if (!replace && Files.exists(this.target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists");
        }
        if (Files.isDirectory(this.target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "is a directory; a file never replaces a directory");
        }
        Path dir = this.target.getParent();
        this.temp = TempPaths.file(dir, "." + this.target.getFileName() + ".", ".part");
        this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        this.flush = new EarlyFlush(channel);
        // Stopped by SIGTERM or SIGINT before commit: the temporary file goes with the process.
        Thread hook = new Thread(() -> {
            try {
                if (!committed) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // the process is ending
            }
        }, "car-atomic-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            hook = null;
        }
        this.onExit = hook;
        this.out = new FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                wrote(len);
            }

            @Override
            public void close() {
                // closed by AtomicFile
            }
        };
    }

    /**
     * Starts writing {@code target}.
     *
     * @param replace whether an existing target may be replaced
     * @throws FileAlreadyExistsException if it exists and {@code replace} is false
     */
    public static AtomicFile create(Path target, boolean replace) throws IOException {
        return new AtomicFile(target, replace);
    }

    /** A channel onto the temporary file, for writes from (direct) buffers. */
    public java.nio.channels.WritableByteChannel channel() {
        return new java.nio.channels.WritableByteChannel() {
            @Override
            public int write(java.nio.ByteBuffer src) throws IOException {
                int n;
                try {
                    n = channel.write(src);
                } catch (IOException e) {
                    throw writeFailed(e);
                }
                wrote(n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() {
                // closed by AtomicFile
            }
        };
    }

    /**
     * Writes all of {@code src} at {@code position}, leaving the channel's position alone: for
     * writers that place blocks out of order, from several threads at once.
     */
    public void writeAt(java.nio.ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            int n;
            try {
                n = channel.write(src, at);
            } catch (IOException e) {
                throw writeFailed(e);
            }
            at += n;
            wrote(n);
        }
    }

    /**
     * A failed write (a full disk, a quota, a file size limit) as an error that names the file
     * being written, not the input it came from.
     */
    private IOException writeFailed(IOException e) {
        if (e instanceof java.nio.file.FileSystemException || e instanceof java.nio.channels.ClosedChannelException) {
            return e;
        }
        return new dev.cartool.error.WriteFailedException(target.toString(), e);
    }

    /** The temporary file open for writes that bypass the page cache, and their alignment. */
    record Direct(FileChannel channel, int alignment) {
    }

    /**
     * Opens the temporary file again with O_DIRECT, for large aligned writes that bypass the page
     * cache (see {@link AlignedWriter#bypassingCache}); null where the file system (tmpfs before
     * Linux 6.6, say) or the JDK does not offer it. Closed with this file; {@link #commit()} still
     * syncs it.
     */
    Direct openDirect() {
        try {
            long unit = Files.getFileStore(temp).getBlockSize();
            if (unit < 512 || unit > 1 << 20 || Long.bitCount(unit) != 1) {
                return null;
            }
            if (direct == null) {
                direct = FileChannel.open(temp, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            }
            return new Direct(direct, (int) Math.max(unit, 4096));
        } catch (IOException | UnsupportedOperationException | LinkageError e) {
            return null;
        }
    }

    /** The temporary file's current size. */
    public long size() throws IOException {
        return channel.size();
    }

    /** Discards everything written so far: the file is empty and writing starts again at 0. */
    public void reset() throws IOException {
        channel.truncate(0);
        channel.position(0);
    }

    private void wrote(long n) {
        flush.wrote(n);
    }

    /**
     * Counts {@code n} bytes written past the page cache toward the early flushes: the device
     * took them into its own cache, and flushing that as they come leaves the final fsync
     * nothing to wait for (see {@link EarlyFlush}). Any thread.
     */
    void wrotePastCache(long n) {
        flush.wrote(n);
    }

    /** How many early flushes have been started (for tests). */
    int earlyFlushesStarted() {
        return flush.started();
    }

    /** Where to write the bytes (unbuffered: wrap it for small writes). */
    public OutputStream stream() {
        return out;
    }

    public Path target() {
        return target;
    }

    /** Flushes to disk and renames into place. */
    public void commit() throws IOException {
        if (closed) {
            throw new IllegalStateException("already closed");
        }
        flush.await();
        channel.force(true);
        closeDirect();
        channel.close();
        if (replace) {
            Durable.move(temp, target, true);
        } else {
            // A link, then unlink: fails rather than replace a file that appeared meanwhile.
            try {
                Files.createLink(target, temp);
                Files.delete(temp);
            } catch (UnsupportedOperationException e) {
                Files.move(temp, target);
            }
        }
        // The name is new in the directory: flushed too, or a power cut soon after the command
        // has said it is done may leave the file's bytes on disk under no name.
        Durable.syncDirectory(target.toAbsolutePath().getParent());
        committed = true;
        closed = true;
        dropHook();
    }

    private void closeDirect() throws IOException {
        if (direct != null) {
            direct.close();
            direct = null;
        }
    }

    private void dropHook() {
        if (onExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // shutting down
            }
        }
    }

    /** Deletes the temporary file unless committed. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                closeDirect();
                channel.close();
            } finally {
                Files.deleteIfExists(temp);
                dropHook();
            }
        }
    }

    public boolean committed() {
        return committed;
    }
}
