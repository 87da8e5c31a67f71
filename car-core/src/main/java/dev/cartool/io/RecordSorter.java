package dev.cartool.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts fixed-width byte records (unsigned, lexicographic) in bounded memory: records collect
 * in one array up to a budget, which is then sorted and spilled to a temp file as a run; the
 * sorted result is a merge of the runs. An index of millions of blocks is sorted this way
 * without holding it in memory. Not thread-safe.
 */
public final class RecordSorter implements Closeable {
    private final int width;
    private final int capacity;
    private final Path tmpDir;
    private byte[] buf;
    private int held;
    private long count;
    private final List<Path> runs = new ArrayList<>();
    private final List<InputStream> open = new ArrayList<>();
    private boolean sorted;

    /**
     * @param budget bytes of records held in memory before a run is spilled (at least one record)
     * @param tmpDir where runs go (null: the system's temp directory)
     */
    public RecordSorter(int width, long budget, Path tmpDir) {
        if (width <= 0) {
            throw new IllegalArgumentException("width " + width);
        }
        this.width = width;
        this.capacity = (int) Math.max(1, Math.min(budget, Integer.MAX_VALUE - 16) / width);
        this.tmpDir = tmpDir;
        this.buf = new byte[width * Math.min(capacity, 1024)];
    }

    public int width() {
        return width;
    }

    /** Records added. */
    public long count() {
        return count;
    }

    /** Adds the {@code width} bytes of {@code rec} at {@code off}. */
    public void add(byte[] rec, int off) throws IOException {
        if (sorted) {
            throw new IllegalStateException("records were already read out");
        }
        if (held == capacity) {
            spill();
        }
        if ((held + 1) * width > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min((long) capacity * width, 2L * buf.length));
        }
        System.arraycopy(rec, off, buf, held * width, width);
        held++;
        count++;
    }

    /** A cursor over the records in order. Call once, after the last {@link #add}. */
    public Cursor sorted() throws IOException {
        sorted = true;
        int[] order = order();
        if (runs.isEmpty()) {
            return new Cursor() {
                private int i;

                @Override
                public boolean next(byte[] into) {
                    if (i == order.length) {
                        return false;
                    }
                    System.arraycopy(buf, order[i++] * width, into, 0, width);
                    return true;
                }
            };
        }
        writeRun(order);
        buf = null;
        return new Merge();
    }

    /** Sorted records, one at a time. */
    public interface Cursor {
        /** Copies the next record into {@code into}; false at the end. */
        boolean next(byte[] into) throws IOException;
    }

    private void spill() throws IOException {
        writeRun(order());
    }

    private void writeRun(int[] order) throws IOException {
        Path run = TempPaths.privateFile(tmpDir != null ? tmpDir : Path.of(System.getProperty("java.io.tmpdir")),
                "car-sort-", ".run");
        runs.add(run);
        // java.io's streams, not Files' channel streams: the NIO read and write paths, inlined into
        // the merge as C2 compiled it at the end of an import (its tables at their limit), took
        // the compiler's memory and the process's peak with it (docs/benchmarks.md).
        // Records gathered into a chunk by hand and written a chunk at a time: through a
        // BufferedOutputStream (its lock and checks a record) the copying was 276 of the 8,203
        // samples of importing 10 million blocks, 182 so (the rest of a run's writing is the
        // kernel's; the gather itself reads the records in sorted order, at random).
        try (OutputStream out = new java.io.FileOutputStream(run.toFile())) {
            byte[] chunk = new byte[Math.max(1, (1 << 16) / width) * width];
            int at = 0;
            for (int i : order) {
                if (at == chunk.length) {
                    out.write(chunk, 0, at);
                    at = 0;
                }
                System.arraycopy(buf, i * width, chunk, at, width);
                at += width;
            }
            out.write(chunk, 0, at);
        }
        held = 0;
    }

    /**
     * The held records' indexes in sorted order, equal records in the order added. Each record's
     * first eight bytes go into a long with its index in the low bits, and the longs are sorted as
     * primitives: a run of 800,000 index records (SHA-256 keys) sorts in a fraction of what
     * comparing their bytes took (a merge sort on indexes: 10 of the 30 CPU-s of importing 10
     * million blocks). Records whose kept prefix bits are equal, rare for hashes, are then put in
     * order by their whole bytes.
     */
    private int[] order() {
        int n = held;
        int indexBits = n <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(n - 1);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (prefix(i) >>> indexBits << indexBits | i) ^ Long.MIN_VALUE; // signed order = unsigned
        }
        Arrays.sort(keys);
        int[] a = new int[n];
        long mask = (1L << indexBits) - 1;
        for (int i = 0; i < n; i++) {
            a[i] = (int) (keys[i] & mask);
        }
        // Groups sharing the kept prefix bits: by their whole bytes (the index breaks ties).
        int[] tmp = null;
        for (int lo = 0; lo < n; ) {
            int hi = lo + 1;
            while (hi < n && (keys[hi] >>> indexBits) == (keys[lo] >>> indexBits)) {
                hi++;
            }
            if (hi - lo > 1) {
                if (tmp == null) {
                    tmp = new int[n];
                }
                mergeSort(a, tmp, lo, hi);
            }
            lo = hi;
        }
        return a;
    }

    /** The record's first (up to) eight bytes, big-endian, zero-padded: its order's most of it. */
    private long prefix(int i) {
        int at = i * width;
        int k = Math.min(8, width);
        long v = 0;
        for (int j = 0; j < k; j++) {
            v = v << 8 | (buf[at + j] & 0xff);
        }
        return v << (8 * (8 - k));
    }

    /** A stable merge sort of {@code a[lo, hi)} (record indexes, already in added order) by bytes. */
    private void mergeSort(int[] a, int[] tmp, int lo0, int hi0) {
        for (int len = 1; len < hi0 - lo0; len <<= 1) {
            for (int lo = lo0; lo < hi0 - len; lo += len << 1) {
                int mid = lo + len;
                int hi = Math.min(lo + (len << 1), hi0);
                if (compare(a[mid - 1], a[mid]) <= 0) {
                    continue; // already in order
                }
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = compare(a[i], a[j]) <= 0 ? a[i++] : a[j++];
                }
                while (i < mid) {
                    tmp[k++] = a[i++];
                }
                while (j < hi) {
                    tmp[k++] = a[j++];
                }
                System.arraycopy(tmp, lo, a, lo, hi - lo);
            }
        }
    }

    private int compare(int x, int y) {
        return Arrays.compareUnsigned(buf, x * width, x * width + width, buf, y * width, y * width + width);
    }

    /** A k-way merge of the spilled runs. */
    private final class Merge implements Cursor {
        private final PriorityQueue<Run> heads = new PriorityQueue<>(
                (p, q) -> Arrays.compareUnsigned(p.head, q.head));

        Merge() throws IOException {
            for (Path p : runs) {
                InputStream in = new java.io.FileInputStream(p.toFile());
                open.add(in);
                Run r = new Run(in);
                if (r.advance()) {
                    heads.add(r);
                }
            }
        }

        @Override
        public boolean next(byte[] into) throws IOException {
            Run r = heads.poll();
            if (r == null) {
                return false;
            }
            System.arraycopy(r.head, 0, into, 0, width);
            if (r.advance()) {
                heads.add(r);
            }
            return true;
        }
    }

    /** A run read a chunk of whole records at a time. */
    private final class Run {
        private final InputStream in;
        private final byte[] head = new byte[width];
        private final byte[] chunk = new byte[Math.max(1, (1 << 16) / width) * width];
        private int at;
        private int end;

        Run(InputStream in) {
            this.in = in;
        }

        boolean advance() throws IOException {
            if (at == end) {
                at = 0;
                end = 0;
                int n;
                while (end < chunk.length && (n = in.read(chunk, end, chunk.length - end)) > 0) {
                    end += n;
                }
                if (end == 0) {
                    in.close();
                    return false;
                }
                if (end % width != 0) {
                    throw new EOFException("sort run ends inside a record");
                }
            }
            System.arraycopy(chunk, at, head, 0, width);
            at += width;
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        buf = null;
        IOException failure = null;
        for (InputStream in : open) {
            try {
                in.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        for (Path p : runs) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                failure = e;
            }
        }
        runs.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
