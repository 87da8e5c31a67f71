package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import dev.cartool.error.WriteFailedException;
import dev.cartool.io.Preads;
import dev.cartool.io.TempPaths;

/**
 * An unlinked temp file that is only appended to, through a 64 KiB buffer, and read back at any
 * place: what a spool of blocks and the open blocks' link records both are. A piece appended in
 * one call is wholly in the buffer or wholly in the file, so a read of one piece never straddles
 * the two. A failed write names the file's kind and directory ({@code spool file in /tmp}).
 */
final class AppendFile implements Closeable {
    static final int BUFFER = 64 << 10;

    private final String name;
    private final FileChannel file;
    /** Pieces not written yet; the first starts at {@link #written}. */
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER);
    private long written;

    /**
     * @param kind what the file is, for messages ({@code spool file})
     * @param start the place of the first piece (1 for a caller whose places must be positive)
     */
    AppendFile(Path dir, String prefix, String kind, long start) throws IOException {
        this.name = kind + " in " + dir;
        this.file = TempPaths.unlinked(dir, prefix);
        this.written = start;
    }

    /** Where the next piece goes. */
    long end() {
        return written + pending.position();
    }

    /** Where the buffer starts: everything before it is in the file. */
    long written() {
        return written;
    }

    /** Appends {@code parts} as one piece, larger than the buffer straight to the file; returns its place. */
    long append(ByteBuffer... parts) throws IOException {
        long size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        if (size > pending.remaining()) {
            flush();
        }
        long at = end();
        boolean straight = size > pending.remaining();
        for (ByteBuffer p : parts) {
            if (straight) {
                write(p);
            } else {
                pending.put(p);
            }
        }
        return at;
    }

    /** Fills {@code dst} from {@code at}, where a piece (or a part of one) lies. */
    void read(ByteBuffer dst, long at) throws IOException {
        if (at >= written) {
            dst.put(pending.duplicate().position((int) (at - written)).limit((int) (at - written) + dst.remaining()));
            return;
        }
        int wanted = dst.remaining();
        if (!Preads.readFully(file, dst, at)) {
            throw new IOException(name + " ends before " + (at + wanted) + " (at " + written + ")");
        }
    }

    private void flush() throws IOException {
        pending.flip();
        write(pending);
        pending.clear();
    }

    private void write(ByteBuffer src) throws IOException {
        try {
            while (src.hasRemaining()) {
                written += file.write(src, written);
            }
        } catch (IOException e) {
            throw new WriteFailedException(name, e); // names the temp directory, not the input
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
