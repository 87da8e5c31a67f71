package dev.cartool.car;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which sections of one open CAR file have had their data hashed and found to match their CIDs,
 * so that a block read again (the gateway serves the same file many times) is not hashed again,
 * and can be sent from the file without being read.
 *
 * <p>Lossy by design, never wrong the other way: a table of section offsets in buckets of two
 * slots (one cache line), where an offset whose bucket is full evicts one of the two. A section
 * not found is hashed again. The table is made on first use and its size is fixed then: a slot
 * per KiB of file, between 4,096 and 131,072 slots (32 KiB to 1 MiB). Of the 10,101 blocks of
 * bench/gateway-small's 26 MB tree, 9,937 (98%) are kept (9,631 with every bucket by a hash).
 *
 * <p>The buckets lie over the file in order, each covering the same span of it (2 KiB, or more
 * when the slots are too few for the file at that), and a section at least a span long takes the
 * bucket where it starts: two such sections never share one, so every leaf of an image is kept
 * (a 1 GiB image's 4,096 leaves; in a file up to 128 MiB, every section of 2 KiB or more). Shorter
 * sections take a bucket by a hash of their offset, as all did before: of the 1 GiB image's
 * 4,121 sections, 4 buckets were given three, and each pass of a gateway's download read and
 * hashed their leaves again.
 *
 * <p>What it records holds while the file is not rewritten in place: the store's files never
 * are, and a CAR given to {@code car serve} must not be while it is served.
 */
final class CheckedSections {
    static final int MIN_SLOTS = 1 << 12;
    static final int MAX_SLOTS = 1 << 17;
    private final int bits;
    /** log2 of the bytes of file a bucket covers: at least 2 KiB, enough to cover the file. */
    private final int span;
    private volatile AtomicLongArray slots;

    CheckedSections(long fileSize) {
        this.bits = bits(fileSize, 10, MIN_SLOTS, MAX_SLOTS); // a slot per KiB
        this.span = span(fileSize, bits - 1, 11); // buckets of two slots
    }

    /**
     * log2 of the entries of a table sized to a file of {@code fileSize} bytes: an entry per
     * {@code 2^per} bytes (rounded up), at least {@code least} and at most {@code most} (powers of
     * two). This table's slots and {@link CarFile}'s cache of heads.
     */
    static int bits(long fileSize, int per, int least, int most) {
        long want = Math.max(least, Math.min(most, ((Math.max(1, fileSize) - 1) >>> per) + 1));
        return 64 - Long.numberOfLeadingZeros(want - 1);
    }

    /**
     * log2 of the bytes of file each of {@code 2^entries} entries covers when a table lies over a
     * file of {@code fileSize} bytes in order: {@code 2^least} at least, and enough to cover the
     * file. This table's buckets and {@link CarFile}'s cache of heads.
     */
    static int span(long fileSize, int entries, int least) {
        return Math.max(least, 64 - Long.numberOfLeadingZeros(Math.max(1, fileSize - 1)) - entries);
    }

    /** Slots in the table (a power of two). */
    int capacity() {
        return 1 << bits;
    }

    /**
     * Whether the section at {@code offset}, of {@code length} bytes of data, was recorded as
     * checked (and not evicted since).
     */
    boolean contains(long offset, long length) {
        AtomicLongArray s = slots;
        if (s == null || offset < 0) {
            return false;
        }
        int i = bucket(offset, length);
        return s.get(i) == offset + 1 || s.get(i + 1) == offset + 1;
    }

    /** Records that the section at {@code offset}, of {@code length} bytes of data, was checked. */
    void add(long offset, long length) {
        AtomicLongArray s = slots;
        if (s == null) {
            synchronized (this) {
                s = slots;
                if (s == null) {
                    slots = s = new AtomicLongArray(1 << bits);
                }
            }
        }
        int i = bucket(offset, length);
        long key = offset + 1; // 0 is an empty slot
        long a = s.get(i);
        if (a == key || s.get(i + 1) == key) {
            return;
        }
        // An empty slot if there is one; otherwise the first slot goes, its occupant moving to
        // the second: the bucket keeps the two most recently added.
        if (a != 0) {
            s.lazySet(i + 1, a);
        }
        s.lazySet(i, key);
    }

    /** The first slot of the bucket a section at {@code offset} of {@code length} bytes maps to. */
    private int bucket(long offset, long length) {
        if (length >= 1L << span) {
            return (int) (offset >>> span) << 1 & ((1 << bits) - 1);
        }
        // splitmix64's finalizer: offsets a fixed stride apart (a tree's small files) spread
        // evenly, where one multiplication left some strides in a third of the buckets.
        long z = offset * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z >>> (64 - bits)) & ~1;
    }
}
