package dev.cartool.store;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import dev.cartool.car.CarIndex;
import dev.cartool.cid.HashFunction;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;
import dev.cartool.io.Preads;

/**
 * The offset index of one stored CAR: fixed 40-byte records sorted by key, so a block is found
 * by binary search with positional reads, never by scanning the CAR. The key is the SHA-256 of
 * the block's multihash bytes (uniform, fixed width, whatever the hash function); the value is
 * the section's offset in the CAR. File layout: the 8-byte magic {@code CARIDX01}, a u64 record
 * count, then the records (key[32], offset u64 big-endian).
 */
public final class BlockIndex implements CarIndex, Closeable {
    static final byte[] MAGIC = "CARIDX01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int RECORD = 40;
    private static final int HEADER = 16;

    private final FileChannel ch;
    private final long count;
    /**
     * The first 8 bytes of the key at each midpoint searches have visited, 0 until one has, as a
     * binary tree in an array: the search's first midpoint at 1, the two below node p at 2p (the
     * lower half) and 2p + 1. A key whose first 8 bytes are 0 (one in 2^64) is read each time.
     */
    private final long[] midpoints;

    private BlockIndex(FileChannel ch, long count, int maxLevels) {
        this.ch = ch;
        this.count = count;
        int levels = 0; // as many as a search makes before it is down to a window: the lower half is the larger
        for (long n = count; n > STRIDE && levels < maxLevels; n >>>= 1) {
            levels++;
        }
        this.midpoints = new long[1 << levels];
    }

    /** The index key of a multihash. */
    static byte[] key(Multihash mh) {
        byte[] b = mh.toBytes();
        return HashFunction.sha256().digest(b, 0, b.length);
    }

    /**
     * The entries of an index being built, sorted in bounded memory (runs spill to temp files
     * past 8 MiB): a CAR of millions of blocks is indexed without holding them. Not thread-safe.
     * 16 MiB, not 32: import of 10 million blocks 21.54 -> 21.10 s, 246 -> 229 MiB, and of 11.6
     * million (its block table at the limit) 285 -> 265 MiB; 3 alternating runs of 10 million,
     * 23.83 / 24.00 s (twice the runs to merge cost nothing measurable). 8 MiB, not 16: a CARv2
     * of 20 million blocks (its index sorted too) 255-272 -> 261 MiB.
     */
    static final class Builder implements Closeable {
        private final dev.cartool.io.RecordSorter sorter = new dev.cartool.io.RecordSorter(RECORD, 8L << 20, null);

        /** Records that the section at {@code offset} holds the block with this multihash. */
        void add(Multihash mh, long offset) throws IOException {
            byte[] r = new byte[RECORD];
            System.arraycopy(key(mh), 0, r, 0, 32);
            ByteBuffer.wrap(r, 32, 8).putLong(offset);
            sorter.add(r, 0);
        }

        /** The entries in key order, each key once with its first offset. Call once. */
        void forEachUnique(RecordSink sink) throws IOException {
            dev.cartool.io.RecordSorter.Cursor c = sorter.sorted();
            byte[] rec = new byte[RECORD];
            byte[] last = null;
            while (c.next(rec)) {
                // sorted by key, then offset: the first of equal keys is the first in the CAR
                if (last == null || !Arrays.equals(last, 0, 32, rec, 0, 32)) {
                    sink.accept(rec);
                    last = rec.clone();
                }
            }
        }

        @Override
        public void close() throws IOException {
            sorter.close();
        }
    }

    /** Takes one 40-byte record: key, then offset big-endian. */
    @FunctionalInterface
    interface RecordSink {
        void accept(byte[] record) throws IOException;
    }

    /** Writes the index of what {@code entries} holds (duplicates keep their first offset). */
    static void write(Path file, Builder entries) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16));
            out.write(MAGIC);
            out.writeLong(0); // the count, once known
            long[] count = {0};
            entries.forEachUnique(rec -> {
                out.write(rec);
                count[0]++;
            });
            out.flush();
            ch.write(ByteBuffer.allocate(8).putLong(0, count[0]), MAGIC.length);
            ch.force(true);
        }
    }

    /**
     * Null if {@code file} is exactly the index {@link #write} makes of {@code entries};
     * otherwise the first difference, in words.
     */
    static String compare(Path file, Builder entries) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "missing";
        }
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(file), 1 << 16))) {
            byte[] magic = in.readNBytes(8);
            if (!Arrays.equals(magic, MAGIC)) {
                return "bad header";
            }
            long stated = in.readLong();
            long fileSize = Files.size(file);
            String[] diff = {null};
            long[] i = {0};
            byte[] rec = new byte[RECORD];
            entries.forEachUnique(want -> {
                if (diff[0] != null) {
                    i[0]++;
                    return;
                }
                if (in.readNBytes(rec, 0, RECORD) < RECORD || !Arrays.equals(rec, want)) {
                    diff[0] = "record " + i[0] + " does not match the CAR";
                }
                i[0]++;
            });
            long expectedSize = HEADER + i[0] * RECORD;
            if (fileSize != expectedSize) {
                return fileSize + " bytes where the index of " + i[0] + " blocks takes " + expectedSize;
            }
            if (stated != i[0]) {
                return "bad header";
            }
            return diff[0];
        }
    }

    public static BlockIndex open(Path file) throws IOException {
        return open(file, MAX_LEVELS);
    }

    /** As {@link #open(Path)}, remembering at most {@code maxLevels} levels of midpoints (for tests). */
    static BlockIndex open(Path file, int maxLevels) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            ch.read(h, 0);
            byte[] magic = Arrays.copyOf(h.array(), 8);
            long count = h.getLong(8);
            // The count is checked by division: count * RECORD could overflow to a matching size
            // (found by the fuzz campaign: testdata/regressions/store-index-count-overflow.idx).
            long records = (ch.size() - HEADER) / RECORD;
            if (!Arrays.equals(magic, MAGIC) || ch.size() < HEADER || (ch.size() - HEADER) % RECORD != 0
                    || count != records) {
                throw new CarException(0, file + ": not a valid block index");
            }
            return new BlockIndex(ch, count, maxLevels);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public long size() {
        return count;
    }

    /**
     * The section offset of the block with this multihash, or -1. A binary search whose upper
     * levels are remembered: the first 8 bytes of the keys at the midpoints it visits are kept in
     * an array (at most a quarter of a byte a record; a 20-bit tree, 8 MiB, past 67 million
     * records), so after the first lookups a search reads only the window of at most 64 records
     * that can hold the key, once. Safe for concurrent lookups.
     */
    @Override
    public long offsetOf(Multihash mh) throws IOException {
        byte[] k = key(mh);
        long prefix = ByteBuffer.wrap(k).getLong(0);
        long lo = 0;
        long hi = count; // exclusive
        int node = 1;
        while (hi - lo > STRIDE) {
            long mid = (lo + hi) >>> 1;
            long at = node < midpoints.length ? (long) MIDPOINT.getOpaque(midpoints, node) : 0;
            int c;
            if (at != 0 && at != prefix) {
                c = Long.compareUnsigned(at, prefix);
            } else {
                ByteBuffer rec = ByteBuffer.allocate(RECORD);
                readAt(rec, HEADER + mid * RECORD);
                if (node < midpoints.length) {
                    MIDPOINT.setOpaque(midpoints, node, rec.getLong(0)); // the same bytes whoever reads them
                }
                c = Arrays.compareUnsigned(rec.array(), 0, 32, k, 0, 32);
                if (c == 0) {
                    return rec.getLong(32);
                }
            }
            boolean inTree = node < midpoints.length; // past it: read each time (and never overflowing)
            if (c < 0) {
                lo = mid + 1;
                node = inTree ? 2 * node + 1 : node;
            } else {
                hi = mid;
                node = inTree ? 2 * node : node;
            }
        }
        int n = (int) (hi - lo);
        if (n <= 0) {
            return -1;
        }
        ByteBuffer recs = ByteBuffer.allocate(n * RECORD);
        readAt(recs, HEADER + lo * RECORD);
        byte[] r = recs.array();
        int l = 0;
        int h = n - 1;
        while (l <= h) {
            int mid = (l + h) >>> 1;
            int c = Arrays.compareUnsigned(r, mid * RECORD, mid * RECORD + 32, k, 0, 32);
            if (c == 0) {
                return recs.getLong(mid * RECORD + 32);
            }
            if (c < 0) {
                l = mid + 1;
            } else {
                h = mid - 1;
            }
        }
        return -1;
    }

    /** Records a search reads at once when it is down to them. */
    private static final int STRIDE = 64;
    /** Levels of midpoints remembered at most: 2^20 of them, 8 MiB. */
    static final int MAX_LEVELS = 20;
    /** Opaque access: a long read whole (never torn) on any JVM, without a fence. */
    private static final java.lang.invoke.VarHandle MIDPOINT = java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

    private void readAt(ByteBuffer b, long pos) throws IOException {
        if (!Preads.readFully(ch, b, pos)) {
            throw new IOException("index truncated");
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
