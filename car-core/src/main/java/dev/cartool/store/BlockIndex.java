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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cartool.car.CarIndex;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;

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

    private BlockIndex(FileChannel ch, long count) {
        this.ch = ch;
        this.count = count;
    }

    /** The index key of a multihash. */
    static byte[] key(Multihash mh) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(mh.toBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An entry while building. */
    record Entry(byte[] key, long offset) {
    }

    /** Writes an index of {@code entries} (duplicates keep their first offset). */
    static void write(Path file, List<Entry> entries) throws IOException {
        List<Entry> unique = sortedUnique(entries);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16))) {
            out.write(MAGIC);
            out.writeLong(unique.size());
            for (Entry e : unique) {
                out.write(e.key);
                out.writeLong(e.offset);
            }
            out.flush();
            ch.force(true);
        }
    }

    /**
     * Null if {@code file} is exactly the index {@link #write} makes of {@code entries};
     * otherwise the first difference, in words.
     */
    static String compare(Path file, List<Entry> entries) throws IOException {
        List<Entry> unique = sortedUnique(entries);
        if (!Files.isRegularFile(file)) {
            return "missing";
        }
        long expectedSize = HEADER + (long) unique.size() * RECORD;
        if (Files.size(file) != expectedSize) {
            return Files.size(file) + " bytes where the index of " + unique.size() + " blocks takes " + expectedSize;
        }
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(file), 1 << 16))) {
            byte[] magic = in.readNBytes(8);
            if (!Arrays.equals(magic, MAGIC) || in.readLong() != unique.size()) {
                return "bad header";
            }
            byte[] key = new byte[32];
            for (int i = 0; i < unique.size(); i++) {
                in.readFully(key);
                long off = in.readLong();
                if (!Arrays.equals(key, unique.get(i).key) || off != unique.get(i).offset) {
                    return "record " + i + " does not match the CAR";
                }
            }
        }
        return null;
    }

    private static List<Entry> sortedUnique(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key, b.key));
        List<Entry> unique = new ArrayList<>(sorted.size());
        for (Entry e : sorted) {
            if (unique.isEmpty() || !Arrays.equals(unique.get(unique.size() - 1).key, e.key)) {
                unique.add(e);
            }
        }
        return unique;
    }

    public static BlockIndex open(Path file) throws IOException {
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
            return new BlockIndex(ch, count);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public long size() {
        return count;
    }

    /** The section offset of the block with this multihash, or -1. */
    @Override
    public long offsetOf(Multihash mh) throws IOException {
        byte[] k = key(mh);
        long lo = 0;
        long hi = count - 1;
        ByteBuffer rec = ByteBuffer.allocate(RECORD);
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            rec.clear();
            while (rec.hasRemaining()) {
                if (ch.read(rec, HEADER + mid * RECORD + rec.position()) < 0) {
                    throw new IOException("index truncated");
                }
            }
            int c = Arrays.compareUnsigned(rec.array(), 0, 32, k, 0, 32);
            if (c == 0) {
                return rec.getLong(32);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
