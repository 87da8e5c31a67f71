package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.cid.Varint;
import dev.cartool.io.Preads;

/**
 * A CARv2 index as go-car writes it, read in place: {@code IndexSorted} (0x0400: buckets of
 * entries of one width, each entry a digest and a u64 offset, sorted by digest) or
 * {@code MultihashIndexSorted} (0x0401: the same, grouped by hash function code). All integers
 * are little-endian; a bucket's length is in bytes. Offsets are from the start of the CARv1
 * payload, as go-car's are.
 *
 * <p>Only the bucket table is read on open. A lookup finds the bucket, then the entry by binary
 * search. A bucket of up to 8 MiB (200,000 sha2-256 entries) is read whole on its first search;
 * a larger one keeps every 64th digest in memory and reads at most 64 entries per lookup.
 * Memory is at most 8 MiB a bucket, or a sixty-fourth of it.
 */
public final class SortedIndex {
    /** go-car's IndexSorted. */
    public static final long INDEX_SORTED = 0x0400;
    /** go-car's MultihashIndexSorted, what {@code car index} and go-car write by default. */
    public static final long MULTIHASH_INDEX_SORTED = 0x0401;
    private static final int STRIDE = 64;
    /** Buckets up to this size are read whole on their first search (one read, no more). */
    private static final long HOLD_WHOLE = 8L << 20;

    private final FileChannel ch;
    private final long codec;
    private final List<Bucket> buckets;
    private long holdWhole = HOLD_WHOLE;

    private SortedIndex(FileChannel ch, long codec, List<Bucket> buckets) {
        this.ch = ch;
        this.codec = codec;
        this.buckets = buckets;
    }

    /** One run of same-width entries: {@code code} is -1 in an IndexSorted (no code recorded). */
    private static final class Bucket {
        final long code;
        final int width;
        final long count;
        final long entriesAt;
        /** Every 64th digest, once searched. */
        byte[] fences;
        /** The whole bucket, when it is small enough to hold: searched without any read. */
        byte[] all;

        Bucket(long code, int width, long count, long entriesAt) {
            this.code = code;
            this.width = width;
            this.count = count;
            this.entriesAt = entriesAt;
        }

        int digestLength() {
            return width - 8;
        }
    }

    /**
     * Reads the bucket table of the index that starts at {@code at} and runs to {@code end}.
     *
     * @throws MalformedCarException if the codec is neither of go-car's or the table does not fit
     * @throws UnsupportedCarException for an index codec this reader does not know
     */
    public static SortedIndex open(FileChannel ch, long at, long end) throws IOException {
        Input in = new Input(new ChannelStream(ch, at, end), at);
        long codec = in.varint();
        List<Bucket> buckets = new ArrayList<>();
        parse(in, codec, (code, width, count, entriesAt) -> {
            buckets.add(new Bucket(code, width, count, entriesAt));
            in.skip((long) width * count);
        });
        return new SortedIndex(ch, codec, buckets);
    }

    /** Tests: the bucket size read whole on first search (0: always search by fences and windows). */
    SortedIndex holdWhole(long bytes) {
        this.holdWhole = bytes;
        return this;
    }

    public long codec() {
        return codec;
    }

    /** Entries in the index. */
    public long entries() {
        long n = 0;
        for (Bucket b : buckets) {
            n += b.count;
        }
        return n;
    }

    /** The payload offset of a section holding {@code mh}, or -1 if the index does not list it. */
    public long offsetOf(Multihash mh) throws IOException {
        byte[] digest = mh.digest();
        for (Bucket b : buckets) {
            if (b.digestLength() == digest.length && (b.code < 0 || b.code == mh.code())) {
                long off = find(b, digest);
                if (off >= 0) {
                    return off;
                }
            }
        }
        return -1;
    }

    private long find(Bucket b, byte[] digest) throws IOException {
        if (b.count == 0) {
            return -1;
        }
        int d = b.digestLength();
        if (d == 0) { // the empty identity digest: every entry matches
            ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(one, b.entriesAt);
            return one.getLong(0);
        }
        byte[] fences = fences(b);
        if (b.all != null) {
            return search(b.all, 0, (int) b.count, b, digest);
        }
        // The last fence whose digest is <= the one wanted: its window holds the entry if any.
        int lo = 0;
        int hi = fences.length / d - 1;
        int window = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(fences, mid * d, mid * d + d, digest, 0, d) <= 0) {
                window = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (window < 0) {
            return -1;
        }
        long first = (long) window * STRIDE;
        int n = (int) Math.min(STRIDE, b.count - first);
        ByteBuffer buf = ByteBuffer.allocate(n * b.width);
        readFully(buf, b.entriesAt + first * b.width);
        return search(buf.array(), 0, n, b, digest);
    }

    /** Binary search of {@code n} entries of {@code entries}: the entry's offset, or -1. */
    private static long search(byte[] entries, int from, int n, Bucket b, byte[] digest) {
        int d = b.digestLength();
        int lo = from;
        int hi = from + n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(entries, mid * b.width, mid * b.width + d, digest, 0, d);
            if (c == 0) {
                return ByteBuffer.wrap(entries, mid * b.width + d, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /** Every 64th digest of the bucket, read once by one sequential pass. */
    private synchronized byte[] fences(Bucket b) throws IOException {
        if (b.fences != null) {
            return b.fences;
        }
        int d = b.digestLength();
        long nFences = (b.count + STRIDE - 1) / STRIDE;
        if (nFences * d > Integer.MAX_VALUE - 16) {
            throw new UnsupportedCarException(b.entriesAt, 2, "CARv2 index bucket at offset " + n(b.entriesAt) + " is too large to search ("
                    + n(b.count) + " entries)");
        }
        if (b.count * b.width <= holdWhole) {
            ByteBuffer all = ByteBuffer.allocate((int) (b.count * b.width));
            readFully(all, b.entriesAt);
            b.all = all.array();
            b.fences = new byte[0]; // not searched: the whole bucket is
            return b.fences;
        }
        byte[] fences = new byte[(int) (nFences * d)];
        InputStream in = new java.io.BufferedInputStream(
                new ChannelStream(ch, b.entriesAt, b.entriesAt + b.count * b.width), 1 << 20);
        byte[] entry = new byte[b.width];
        for (long i = 0; i < b.count; i++) {
            if (in.readNBytes(entry, 0, b.width) != b.width) {
                throw new TruncatedCarException(b.entriesAt, "CARv2 index bucket at offset " + n(b.entriesAt) + " ends early");
            }
            if (i % STRIDE == 0) {
                System.arraycopy(entry, 0, fences, (int) (i / STRIDE) * d, d);
            }
        }
        b.fences = fences;
        return fences;
    }

    private void readFully(ByteBuffer buf, long pos) throws IOException {
        if (!Preads.readFully(ch, buf, pos)) {
            throw new TruncatedCarException(pos, "CARv2 index: file ends inside entries at offset " + n(pos));
        }
    }

    /** What {@link #parse} reports for each bucket; entries follow at {@code entriesAt}. */
    interface BucketVisitor {
        void bucket(long code, int width, long count, long entriesAt) throws IOException;
    }

    /** Walks the bucket headers of an index body; the visitor consumes (or skips) each bucket's entries. */
    static void parse(Input in, long codec, BucketVisitor visitor) throws IOException {
        if (codec == INDEX_SORTED) {
            parseBuckets(in, -1, visitor);
        } else if (codec == MULTIHASH_INDEX_SORTED) {
            long at = in.position;
            int codes = in.i32();
            if (codes < 0) {
                throw in.malformed(at, "negative hash function count " + codes);
            }
            long previous = -1;
            for (int i = 0; i < codes; i++) {
                long codeAt = in.position;
                long code = in.i64();
                if (code < 0 || code <= previous) {
                    throw in.malformed(codeAt, "hash function code " + Long.toUnsignedString(code)
                            + (code < 0 ? " is out of range" : " is out of order"));
                }
                previous = code;
                parseBuckets(in, code, visitor);
            }
        } else {
            throw new UnsupportedCarException(in.start, 2, "CARv2 index at offset " + n(in.start) + ": codec "
                    + Multicodec.name(codec) + " (0x" + Long.toHexString(codec) + ") is not an index this reader knows"
                    + " (car-index-sorted, car-multihash-index-sorted)");
        }
    }

    private static void parseBuckets(Input in, long code, BucketVisitor visitor) throws IOException {
        long at = in.position;
        int count = in.i32();
        if (count < 0) {
            throw in.malformed(at, "negative bucket count " + count);
        }
        for (int i = 0; i < count; i++) {
            long bucketAt = in.position;
            long width = in.u32();
            long length = in.i64();
            if (width < 8 || width > 8 + Block.MAX_LENGTH) {
                throw in.malformed(bucketAt, "bucket width " + width + " is not a digest and an offset");
            }
            if (length < 0 || length % width != 0) {
                throw in.malformed(bucketAt, "bucket length " + Long.toUnsignedString(length)
                        + " is not a whole number of " + width + "-byte entries");
            }
            if (in.end >= 0 && length > in.end - in.position) {
                throw new TruncatedCarException(bucketAt, "CARv2 index bucket at offset " + n(bucketAt) + " claims "
                        + n(length) + " bytes; the file ends after " + n(in.end - in.position));
            }
            long entriesAt = in.position;
            long before = in.position;
            visitor.bucket(code, (int) width, length / width, entriesAt);
            if (in.position != before + length) {
                throw new IllegalStateException("visitor left the bucket at " + in.position);
            }
        }
    }

    /**
     * Compares the index on {@code stream} (starting at file offset {@code at}, codec varint
     * first) with the one {@code expected} holds for the payload as read.
     *
     * @return null if they list the same entries; else the first difference, naming the entry
     */
    static String compare(InputStream stream, long at, SortedIndexBuilder expected) throws IOException {
        Input in = new Input(stream, at);
        long codec = in.varint();
        if (codec != INDEX_SORTED && codec != MULTIHASH_INDEX_SORTED) {
            parse(in, codec, null); // throws: unknown codec
        }
        java.util.TreeMap<SortedIndexBuilder.Key, dev.cartool.io.RecordSorter.Cursor> want = expected.view(codec);
        String[] problem = {null};
        java.util.Set<SortedIndexBuilder.Key> seen = new java.util.HashSet<>();
        parse(in, codec, (code, width, count, entriesAt) -> {
            SortedIndexBuilder.Key key = new SortedIndexBuilder.Key(code, width);
            if (!seen.add(key) && problem[0] == null) {
                problem[0] = "CARv2 index at offset " + n(at) + ": the bucket of width " + width
                        + (code >= 0 ? " for " + Multicodec.name(code) : "") + " appears twice (before offset "
                        + n(entriesAt) + ")";
            }
            if (problem[0] != null) {
                in.skip((long) width * count);
                return;
            }
            problem[0] = compareBucket(in, code, width, count, want.get(key));
        });
        for (java.util.Map.Entry<SortedIndexBuilder.Key, dev.cartool.io.RecordSorter.Cursor> e : want.entrySet()) {
            if (problem[0] == null && !seen.contains(e.getKey())) {
                problem[0] = compareBucket(in, e.getKey().code(), e.getKey().width(), 0, e.getValue());
            }
        }
        return problem[0];
    }

    private static String compareBucket(Input in, long code, int width, long count,
            dev.cartool.io.RecordSorter.Cursor want) throws IOException {
        int d = width - 8;
        byte[] entry = new byte[width];
        byte[] wanted = new byte[width];
        boolean haveWanted = want != null && want.next(wanted);
        byte[] previous = null;
        for (long i = 0; i < count; i++) {
            long entryAt = in.position;
            in.readFully(entry);
            long offset = ByteBuffer.wrap(entry, d, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (previous != null && Arrays.compareUnsigned(previous, 0, d, entry, 0, d) > 0) {
                in.skip((long) width * (count - i - 1));
                return "CARv2 index entry at offset " + n(entryAt) + " (" + describe(code, entry, d)
                        + ") is out of order: a sorted index cannot be searched";
            }
            previous = entry.clone();
            long wantedOffset = haveWanted ? ByteBuffer.wrap(wanted, d, 8).getLong() : -1;
            int c = haveWanted ? Arrays.compareUnsigned(entry, 0, d, wanted, 0, d) : -1;
            String p = null;
            if (c < 0) {
                p = "CARv2 index entry at offset " + n(entryAt) + " puts " + describe(code, entry, d)
                        + " at payload offset " + n(offset) + ", but the payload holds no such block there";
            } else if (c > 0) {
                p = "the CARv2 index (bucket before offset " + n(entryAt) + ") lacks " + describe(code, wanted, d)
                        + ", which the payload holds at offset " + n(wantedOffset);
            } else if (offset != wantedOffset) {
                p = "CARv2 index entry at offset " + n(entryAt) + " puts " + describe(code, entry, d)
                        + " at payload offset " + n(offset) + ", but the payload holds it at " + n(wantedOffset);
            }
            if (p != null) {
                in.skip((long) width * (count - i - 1));
                return p;
            }
            haveWanted = want.next(wanted);
        }
        if (haveWanted) {
            return "the CARv2 index lacks " + describe(code, wanted, d) + ", which the payload holds at offset "
                    + n(ByteBuffer.wrap(wanted, d, 8).getLong());
        }
        return null;
    }

    private static String describe(long code, byte[] entry, int d) {
        String hex = HexFormat.of().formatHex(entry, 0, d);
        return code >= 0 ? "multihash " + Multicodec.name(code) + ":" + hex : "digest " + hex;
    }

    /** Counting little-endian reads over a stream, with errors that name the file offset. */
    static final class Input {
        private final InputStream in;
        final long start;
        long position;
        long end = -1;

        Input(InputStream in, long start) {
            this.in = in;
            this.start = start;
            this.position = start;
            if (in instanceof ChannelStream) {
                this.end = ((ChannelStream) in).end;
            }
        }

        long varint() throws IOException {
            return SectionHead.length(() -> {
                int b = in.read();
                if (b >= 0) {
                    position++;
                }
                return b;
            }, "CARv2 index", start, true);
        }

        int i32() throws IOException {
            return ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        long u32() throws IOException {
            return Integer.toUnsignedLong(i32());
        }

        long i64() throws IOException {
            return ByteBuffer.wrap(bytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        private byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            readFully(b);
            return b;
        }

        void readFully(byte[] b) throws IOException {
            int r = in.readNBytes(b, 0, b.length);
            if (r < b.length) {
                throw new TruncatedCarException(position, "CARv2 index at offset " + n(start) + ": data ends at offset "
                        + n(position + r) + " inside the index");
            }
            position += b.length;
        }

        void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long s = in.skip(left);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new TruncatedCarException(position, "CARv2 index at offset " + n(start)
                                + ": data ends at offset " + n(position + n - left) + " inside the index");
                    }
                    s = 1;
                }
                left -= s;
            }
            position += n;
        }

        MalformedCarException malformed(long at, String what) {
            return new MalformedCarException(at, "CARv2 index at offset " + n(start) + ": " + what + " (at offset " + n(at) + ")");
        }
    }

    /** A region of a file as a stream of positional reads; skipping moves without reading. */
    static final class ChannelStream extends InputStream {
        private final FileChannel ch;
        private long pos;
        final long end;

        ChannelStream(FileChannel ch, long pos, long end) {
            this.ch = ch;
            this.pos = pos;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= end) {
                return -1;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
            if (n > 0) {
                pos += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            long s = Math.max(0, Math.min(n, end - pos));
            pos += s;
            return s;
        }
    }

    /** The varint a codec is written as, for writers. */
    static byte[] codecBytes(long codec) {
        byte[] b = new byte[Varint.size(codec)];
        Varint.put(codec, b, 0);
        return b;
    }
}
