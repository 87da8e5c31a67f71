package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import dev.cartool.error.WriteFailedException;

/**
 * The long slots of one segment of a fingerprint table ({@link Fingerprints}), zero when empty:
 * an array, or past the table's memory limit a temp file read and written through the table's
 * {@link Pages}. A failed read or write of the file is an {@link UncheckedIOException} around a
 * {@link WriteFailedException} naming the directory.
 */
abstract class Slots implements Closeable {
    final int length;

    Slots(int length) {
        this.length = length;
    }

    abstract long get(int i);

    abstract void set(int i, long v);

    /** Bytes of memory this segment holds of its own. */
    abstract long memory();

    @Override
    public void close() {
    }

    /** Slots in an array. */
    static final class InMemory extends Slots {
        private final long[] slots;

        InMemory(int length) {
            super(length);
            slots = new long[length];
        }

        @Override
        long get(int i) {
            return slots[i];
        }

        @Override
        void set(int i, long v) {
            slots[i] = v;
        }

        @Override
        long memory() {
            return slots.length * 8L;
        }
    }

    /** Slots in an unlinked temp file, a page of which is in memory at a time through {@link Pages}. */
    static final class InFile extends Slots {
        final Pages pages;
        final FileChannel file;
        final int id;

        private InFile(Pages pages, FileChannel file, int id, int length) {
            super(length);
            this.pages = pages;
            this.file = file;
            this.id = id;
        }

        @Override
        long get(int i) {
            return pages.get(this, i);
        }

        @Override
        void set(int i, long v) {
            pages.set(this, i, v);
        }

        @Override
        long memory() {
            return 0;
        }

        @Override
        public void close() {
            pages.drop(this);
        }
    }

    /**
     * The pages of one table's file segments held in memory: 1,024 frames of 1 KiB (128 slots,
     * 1 MiB in all), each page in the frame its segment and number choose, written back when another page takes
     * the frame. A table's growth copies one segment into a larger one in slot order, so pages are
     * mostly read and written in order; a lookup costs a page read, and a change a page write
     * later. Synchronized: a table whose lookups ran on several threads in memory still may.
     */
    static final class Pages {
        static final int PAGE = 1024;
        private static final int SLOTS = PAGE / 8;
        /** Frames of the tables made from now on, a power of two (tests make pages trade frames with fewer). */
        static volatile int framesPerTable = 1024;

        private final Path dir;
        private final int mask;
        private final ByteBuffer frames;
        private final InFile[] owner;
        private final int[] page;
        private final boolean[] dirty;
        private int segments;

        Pages(Path dir) {
            this.dir = dir;
            int n = framesPerTable;
            mask = n - 1;
            frames = ByteBuffer.allocateDirect(n * PAGE);
            owner = new InFile[n];
            page = new int[n];
            dirty = new boolean[n];
        }

        /** A new segment of {@code length} zero slots, in a temp file of its own (sparse until written). */
        synchronized InFile segment(int length) {
            try {
                return new InFile(this, dev.cartool.io.TempPaths.unlinked(dir, "car-table-"), segments++, length);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        synchronized long get(InFile s, int i) {
            return frames.getLong(frame(s, i / SLOTS) * PAGE + (i % SLOTS) * 8);
        }

        synchronized void set(InFile s, int i, long v) {
            int f = frame(s, i / SLOTS);
            frames.putLong(f * PAGE + (i % SLOTS) * 8, v);
            dirty[f] = true;
        }

        /** The frame holding page {@code p} of {@code s}, read in (and the frame's page written back) if it is not. */
        private int frame(InFile s, int p) {
            int f = (p + s.id * 0x9E37) & mask;
            if (owner[f] == s && page[f] == p) {
                return f;
            }
            try {
                if (owner[f] != null && dirty[f]) {
                    ByteBuffer b = frame(f);
                    long at = (long) page[f] * PAGE;
                    while (b.hasRemaining()) {
                        at += owner[f].file.write(b, at);
                    }
                }
                owner[f] = null;
                dirty[f] = false;
                ByteBuffer b = frame(f);
                long at = (long) p * PAGE;
                int n;
                while (b.hasRemaining() && (n = s.file.read(b, at)) >= 0) {
                    at += n;
                }
                while (b.hasRemaining()) {
                    b.put((byte) 0); // past the end of the file: never written, empty
                }
            } catch (IOException e) {
                throw failed(e);
            }
            owner[f] = s;
            page[f] = p;
            return f;
        }

        private ByteBuffer frame(int f) {
            return frames.duplicate().position(f * PAGE).limit((f + 1) * PAGE);
        }

        /** Forgets the pages of {@code s} (not written back) and closes its file. */
        synchronized void drop(InFile s) {
            for (int f = 0; f < owner.length; f++) {
                if (owner[f] == s) {
                    owner[f] = null;
                    dirty[f] = false;
                }
            }
            try {
                s.file.close();
            } catch (IOException e) {
                // its file is unlinked: closing frees it, and nothing is read from it again
            }
        }

        private UncheckedIOException failed(IOException e) {
            return tableFileFailed(dir, e);
        }
    }

    /** A table's file in {@code dir} that could not be made, written or read, named as such. */
    static UncheckedIOException tableFileFailed(Path dir, IOException e) {
        if (e instanceof WriteFailedException) {
            return new UncheckedIOException(e); // named already
        }
        IOException why = e;
        if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() == null) {
            // its message is only the file's name: say what is wrong with the directory
            why = new IOException(e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName(), e);
        }
        return new UncheckedIOException(new WriteFailedException("table file in " + dir, why));
    }
}
