package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

import dev.cartool.cid.Multihash;
import dev.cartool.io.RecordSorter;

/**
 * Builds a CARv2 index byte for byte as go-car does: entries grouped by hash function code
 * (MultihashIndexSorted only), then by width (digest length + 8), ascending; within a bucket
 * sorted by digest (and offset, where one block appears twice). Entries are sorted in bounded
 * memory (spilling to temp files), so a CAR of millions of blocks is indexed in a fixed budget.
 */
public final class SortedIndexBuilder implements Closeable {
    /** Memory for one bucket's entries before they spill to a temp file. */
    private static final long BUDGET = 32L << 20;

    private final boolean identity;
    private final long sortBytes;
    private final TreeMap<Key, RecordSorter> buckets = new TreeMap<>();

    /** A bucket: code (-1 in an IndexSorted) and width. */
    record Key(long code, int width) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(code, o.code);
            return c != 0 ? c : Integer.compare(width, o.width);
        }
    }

    /**
     * @param identity whether identity multihashes are indexed (a "fully indexed" CARv2); go-car
     *     leaves them out otherwise, as the block is in the CID
     */
    public SortedIndexBuilder(boolean identity) {
        this(identity, BUDGET);
    }

    /**
     * @param identity as above
     * @param sortBytes memory for one bucket's entries before they spill (32 MiB above)
     */
    SortedIndexBuilder(boolean identity, long sortBytes) {
        this.identity = identity;
        this.sortBytes = sortBytes;
    }

    /** Whether identity multihashes are indexed. */
    public boolean indexesIdentity() {
        return identity;
    }

    /** Records that the section at {@code offset} (from the payload's start) holds {@code mh}. */
    public void add(Multihash mh, long offset) throws IOException {
        if (mh.isIdentity() && !identity) {
            return;
        }
        byte[] digest = mh.digest();
        int width = digest.length + 8;
        RecordSorter s = buckets.computeIfAbsent(new Key(mh.code(), width), k -> new RecordSorter(width, sortBytes, null));
        byte[] rec = new byte[width];
        System.arraycopy(digest, 0, rec, 0, digest.length);
        ByteBuffer.wrap(rec, digest.length, 8).putLong(offset); // big-endian while sorting
        s.add(rec, 0);
    }

    /** Entries added. */
    public long count() {
        long n = 0;
        for (RecordSorter s : buckets.values()) {
            n += s.count();
        }
        return n;
    }

    /**
     * The buckets as an index of {@code codec} lays them out, each with its sorted entries
     * (digest, then the offset big-endian): by code and width for a MultihashIndexSorted, by
     * width alone (the codes' entries merged) for an IndexSorted, whose keys have code -1.
     */
    TreeMap<Key, RecordSorter.Cursor> view(long codec) throws IOException {
        TreeMap<Key, RecordSorter.Cursor> out = new TreeMap<>();
        if (codec == SortedIndex.MULTIHASH_INDEX_SORTED) {
            for (Map.Entry<Key, RecordSorter> e : buckets.entrySet()) {
                out.put(e.getKey(), e.getValue().sorted());
            }
            return out;
        }
        if (codec != SortedIndex.INDEX_SORTED) {
            throw new IllegalArgumentException("index codec 0x" + Long.toHexString(codec));
        }
        TreeMap<Integer, java.util.List<RecordSorter.Cursor>> byWidth = new TreeMap<>();
        for (Map.Entry<Key, RecordSorter> e : buckets.entrySet()) {
            byWidth.computeIfAbsent(e.getKey().width(), w -> new java.util.ArrayList<>()).add(e.getValue().sorted());
        }
        for (Map.Entry<Integer, java.util.List<RecordSorter.Cursor>> e : byWidth.entrySet()) {
            out.put(new Key(-1, e.getKey()), merge(e.getValue(), e.getKey()));
        }
        return out;
    }

    private static RecordSorter.Cursor merge(java.util.List<RecordSorter.Cursor> cursors, int width) throws IOException {
        if (cursors.size() == 1) {
            return cursors.get(0);
        }
        byte[][] heads = new byte[cursors.size()][];
        for (int i = 0; i < heads.length; i++) {
            byte[] h = new byte[width];
            heads[i] = cursors.get(i).next(h) ? h : null;
        }
        return into -> {
            int best = -1;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (best < 0 || java.util.Arrays.compareUnsigned(heads[i], heads[best]) < 0)) {
                    best = i;
                }
            }
            if (best < 0) {
                return false;
            }
            System.arraycopy(heads[best], 0, into, 0, width);
            if (!cursors.get(best).next(heads[best])) {
                heads[best] = null;
            }
            return true;
        };
    }

    /** Writes the index as {@code codec} (its varint first). Call once. */
    public void writeTo(long codec, OutputStream out) throws IOException {
        TreeMap<Key, RecordSorter.Cursor> view = view(codec);
        out.write(SortedIndex.codecBytes(codec));
        ByteBuffer le = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (codec == SortedIndex.INDEX_SORTED) {
            writeBuckets(out, view, le);
            return;
        }
        TreeMap<Long, TreeMap<Key, RecordSorter.Cursor>> byCode = new TreeMap<>();
        for (Map.Entry<Key, RecordSorter.Cursor> e : view.entrySet()) {
            byCode.computeIfAbsent(e.getKey().code(), c -> new TreeMap<>()).put(e.getKey(), e.getValue());
        }
        out.write(le.clear().putInt(byCode.size()).array(), 0, 4);
        for (Map.Entry<Long, TreeMap<Key, RecordSorter.Cursor>> e : byCode.entrySet()) {
            out.write(le.clear().putLong(e.getKey()).array(), 0, 8);
            writeBuckets(out, e.getValue(), le);
        }
    }

    private void writeBuckets(OutputStream out, TreeMap<Key, RecordSorter.Cursor> view, ByteBuffer le) throws IOException {
        out.write(le.clear().putInt(view.size()).array(), 0, 4);
        for (Map.Entry<Key, RecordSorter.Cursor> e : view.entrySet()) {
            int width = e.getKey().width();
            out.write(le.clear().putInt(width).putLong(count(e.getKey()) * width).array(), 0, 12);
            RecordSorter.Cursor c = e.getValue();
            byte[] rec = new byte[width];
            int d = width - 8;
            while (c.next(rec)) {
                long offset = ByteBuffer.wrap(rec, d, 8).getLong();
                ByteBuffer.wrap(rec, d, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(offset);
                out.write(rec);
            }
        }
    }

    /** Entries in a bucket of a view: code -1 counts every code of that width. */
    long count(Key key) {
        long n = 0;
        for (Map.Entry<Key, RecordSorter> e : buckets.entrySet()) {
            if (e.getKey().width() == key.width() && (key.code() < 0 || key.code() == e.getKey().code())) {
                n += e.getValue().count();
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (RecordSorter s : buckets.values()) {
            try {
                s.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
