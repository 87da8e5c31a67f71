package dev.cartool.car;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.cid.Varint;

/**
 * Blocks remembered in 8 bytes each: a 63-bit fingerprint of the multihash, keyed with a seed
 * drawn per instance so that no input can aim a collision (two multihashes share one by chance,
 * about n^2 / 2^64 for n of them), and a table of them with one flag bit each.
 */
final class Fingerprints {
    private final long seed0;
    private final long seed1;

    Fingerprints() {
        long n = Keys.DRAWS.incrementAndGet();
        this.seed0 = mix(Keys.KEY0 + n * 0x9E3779B97F4A7C15L);
        this.seed1 = mix(Keys.KEY1 + n * 0x9E3779B97F4A7C15L) | 1;
    }

    /**
     * A 128-bit key drawn once a process from the system's random source; each instance's seeds
     * are the key mixed with a counter (the mix is a bijection, so no two instances share seeds,
     * and without the key no one can tell what they are). /dev/urandom first: the JDK's
     * SecureRandom costs 7-10 ms at start-up (its providers and a SHA1PRNG it mixes in) where a
     * 16-byte read costs tens of microseconds; SecureRandom where there is no such file.
     */
    private static final class Keys {
        static final long KEY0;
        static final long KEY1;
        static final AtomicLong DRAWS = new AtomicLong();

        static {
            byte[] b = new byte[16];
            boolean read;
            try (InputStream in = new FileInputStream("/dev/urandom")) {
                read = in.readNBytes(b, 0, 16) == 16;
            } catch (IOException | SecurityException e) {
                read = false;
            }
            if (!read) {
                new SecureRandom().nextBytes(b);
            }
            long k0 = 0;
            long k1 = 0;
            for (int i = 0; i < 8; i++) {
                k0 = (k0 << 8) | (b[i] & 0xff);
                k1 = (k1 << 8) | (b[i + 8] & 0xff);
            }
            KEY0 = k0;
            KEY1 = k1;
        }
    }

    /** 63 bits of a keyed mix of the multihash (code and digest); bit 0 is left for the table. */
    long of(Multihash mh) {
        int length = mh.digestLength();
        long h = start(mh.code());
        long k = seed1;
        // Eight bytes a read, not one, and no copy of the digest: 363 of 4,782 samples of a
        // 10-million-block verify went to this loop and the copy.
        for (int i = 0; i < length; i += 8, k += KEY_STEP) {
            h = mix(h ^ (mh.digestWord(i) * k));
        }
        return finish(h, length);
    }

    /**
     * {@link #of(Multihash)} of the CID whose bytes, already checked to be one, are
     * {@code src[at, end)}; 0 for an identity CID (its block is in it; 0 is no fingerprint).
     */
    long ofCid(byte[] src, int at, int end) {
        try {
            int p = Cid.multihashAt(src, at, end);
            long code = Varint.decode(src, p, end);
            if (code == Multicodec.IDENTITY) {
                return 0;
            }
            p += Varint.size(code);
            p += Varint.size(Varint.decode(src, p, end)); // the digest's length: the rest
            int length = end - p;
            long h = start(code);
            long k = seed1;
            for (int i = 0; i < length; i += 8, k += KEY_STEP) {
                h = mix(h ^ (Multihash.wordAt(src, p + i, end) * k));
            }
            return finish(h, length);
        } catch (CidFormatException e) {
            throw new IllegalArgumentException("not a checked CID", e);
        }
    }

    /*
     * The key stays odd, so w * k loses no bit of w (an even key drops w's top bits: a bit flipped
     * there, in a damaged root, kept the fingerprint of the root it damaged).
     */
    private static final long KEY_STEP = 0x632BE59BD9B4E01AL;

    private long start(long code) {
        return seed0 ^ (code * 0x9E3779B97F4A7C15L);
    }

    private static long finish(long h, int length) {
        h = mix(h ^ length);
        return (h << 1) == 0 ? 2 : h << 1; // never 0: 0 marks an empty slot
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * What both tables share: 64 segments of long slots chosen by a fingerprint's top six bits,
     * each grown by half again past 80% full, so growing never holds two copies of the whole table.
     * A segment grows in memory while the table stays within {@link TableMemory}'s limit, and into
     * a temp file past it ({@link Slots}): memory is bounded whatever the number of blocks.
     */
    abstract static class Segmented implements java.io.Closeable {
        static final int SEGMENTS = 64;
        final Slots[] segments = new Slots[SEGMENTS];
        final int[] sizes = new int[SEGMENTS];
        long size;
        /** Slots an entry takes. */
        private final int width;
        private final TableMemory.Budget budget;
        private final java.nio.file.Path dir = TableMemory.dir();
        /** Bytes of the segments held in memory. */
        private long memory;
        private Slots.Pages pages;

        /** {@code budget}: the memory the table may take as it grows. */
        Segmented(int width, TableMemory.Budget budget) {
            this.width = width;
            this.budget = budget;
            for (int i = 0; i < SEGMENTS; i++) {
                segments[i] = new Slots.InMemory(64); // 32 KiB in all, whatever the limit
                memory += segments[i].memory();
            }
            budget.force(memory);
        }

        long size() {
            return size;
        }

        /** Bytes of the segments held in memory (for tests). */
        long memory() {
            return memory;
        }

        /** Segments held in files (for tests and reports). */
        int spilled() {
            int n = 0;
            for (Slots s : segments) {
                n += s instanceof Slots.InFile ? 1 : 0;
            }
            return n;
        }

        static int segment(long fp) {
            return (int) (fp >>> 58);
        }

        /** Whether one more entry in segment {@code s} would make it more than 80% full. */
        boolean full(int s, int adding) {
            return (sizes[s] + adding) * 5L > (segments[s].length / width) * 4L;
        }

        /**
         * Segment {@code s} grown by half again: its entries put into the new slots by
         * {@link #copy}, in slot order (which, homes being in fingerprint order, writes the new
         * slots nearly in order too), the old slots freed.
         */
        final Slots grow(int s) {
            Slots old = segments[s];
            int length = old.length + (old.length >> 1);
            length += length % width;
            Slots grown;
            if (budget.take(length * 8L)) {
                grown = new Slots.InMemory(length);
                memory += grown.memory();
            } else {
                if (pages == null) {
                    pages = new Slots.Pages(dir);
                }
                grown = pages.segment(length);
            }
            try {
                copy(old, grown);
            } catch (RuntimeException e) {
                memory -= grown.memory();
                budget.give(grown.memory());
                grown.close(); // a file that could not be written: the table stays as it was
                throw e;
            }
            memory -= old.memory();
            budget.give(old.memory());
            old.close();
            segments[s] = grown;
            return grown;
        }

        /** Puts the entries of {@code from} into {@code to}. */
        abstract void copy(Slots from, Slots to);

        /** Frees the files of spilled segments, and gives its memory back to its budget. */
        @Override
        public void close() {
            for (Slots s : segments) {
                s.close();
            }
            budget.give(memory);
            memory = 0;
        }
    }

    /** Tables whose entry is one slot, never 0. */
    abstract static class OneSlotEach extends Segmented {
        OneSlotEach(TableMemory.Budget budget) {
            super(1, budget);
        }

        /** Puts slot value {@code v} of a segment being grown into {@code seg}. */
        abstract void reinsert(Slots seg, long v);

        @Override
        final void copy(Slots from, Slots to) {
            for (int i = 0; i < from.length; i++) {
                long v = from.get(i);
                if (v != 0) {
                    reinsert(to, v);
                }
            }
        }
    }

    /**
     * Fingerprints (bit 0 clear) with a closed flag in bit 0, by linear probing in long slots: 8
     * bytes a slot, at most 80% full. The table is 64 segments chosen by the fingerprint's top
     * bits, each grown by half again when full, so growing never holds two copies of the whole
     * table (at 10 million blocks the peak is the table plus one sixty-fourth of it).
     */
    static final class Table extends OneSlotEach {
        /** A table of one table's worth of memory. */
        Table() {
            this(TableMemory.Budget.ofTable());
        }

        Table(TableMemory.Budget budget) {
            super(budget);
        }

        boolean contains(long fp) {
            Slots seg = segments[segment(fp)];
            return seg.get(slot(seg, fp)) != 0;
        }

        boolean isClosed(long fp) {
            Slots seg = segments[segment(fp)];
            long v = seg.get(slot(seg, fp));
            return v != 0 && (v & 1) != 0;
        }

        /**
         * Adds {@code fp} with the given flag if it is not there: one probe where contains-then-add
         * took two (at 10 million blocks each is a cache miss).
         *
         * @return whether it was added
         */
        boolean addIfAbsent(long fp, boolean closed) {
            int s = segment(fp);
            Slots seg = segments[s];
            int i = slot(seg, fp);
            if (seg.get(i) != 0) {
                return false;
            }
            seg.set(i, fp | (closed ? 1 : 0));
            size++;
            sizes[s]++;
            if (full(s, 0)) {
                grow(s);
            }
            return true;
        }

        /** Adds {@code fp}, or sets its closed flag if it is there. */
        void add(long fp, boolean closed) {
            int s = segment(fp);
            Slots seg = segments[s];
            int i = slot(seg, fp);
            if (seg.get(i) == 0) {
                size++;
                sizes[s]++;
                if (full(s, 0)) {
                    seg = grow(s);
                    i = slot(seg, fp);
                }
            }
            seg.set(i, fp | (closed ? 1 : 0));
        }

        /**
         * Reads the slot where a probe for {@code fp} starts, if its segment is in memory, so
         * that a lookup of {@code fp} soon after finds it in the cache. Touched for all of a
         * block's links before they are looked up one by one, the CPU waits for their cache
         * misses together rather than one after another. Returns what it read: keep it, or the
         * read may be dropped as unused.
         */
        long touch(long fp) {
            Slots seg = segments[segment(fp)];
            return seg instanceof Slots.InMemory ? seg.get(home(seg, fp)) : 0;
        }

        /** Where a probe for {@code fp} starts: the bits below the segment's, scaled to its length. */
        private static int home(Slots seg, long fp) {
            return (int) (((fp >>> 26) & 0xFFFFFFFFL) * seg.length >>> 32);
        }

        /** The slot holding {@code fp}, or the empty slot where it would go. */
        private static int slot(Slots seg, long fp) {
            int n = seg.length;
            int i = home(seg, fp);
            long v;
            while ((v = seg.get(i)) != 0 && (v & ~1L) != fp) {
                if (++i == n) {
                    i = 0;
                }
            }
            return i;
        }

        @Override
        void reinsert(Slots seg, long v) {
            seg.set(slot(seg, v & ~1L), v);
        }
    }

    /** Tells whether the section at an offset is the one looked for (it reads its head). */
    @FunctionalInterface
    interface OffsetCheck {
        boolean holds(long offset) throws java.io.IOException;
    }

    /**
     * Fingerprint -> section offset, 8 bytes a slot: 42 bits of offset (CARs up to 4 TiB) and 22
     * bits of the fingerprint as a tag. A tag can match another block's, so a lookup asks the
     * caller to check each candidate (by reading its section head): exact, never fooled, and a
     * third of the memory of a map of objects. 64 segments grown by half, as {@link Table}.
     */
    static final class OffsetTable extends OneSlotEach {
        private static final int OFFSET_BITS = 42;
        private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

        OffsetTable() {
            super(TableMemory.Budget.ofTable());
        }

        /** 22 bits of the fingerprint, below the segment's: kept in the slot, and where the slot's home is. */
        private static long tag(long fp) {
            return (fp >>> 36) & ((1L << (64 - OFFSET_BITS)) - 1);
        }

        /** The home slot of a tag: the tag as a fraction of the segment, so growing keeps the order. */
        private static int home(Slots seg, long tag) {
            return (int) ((tag << 10) * seg.length >>> 32);
        }

        /**
         * Entries added and not yet placed, oldest first: placed {@link #BATCH} at a time, after
         * the slots where their probes start have been read in one short loop, so that the CPU
         * waits for those cache misses together. A stream of 10 million tiny blocks spooled every
         * one: 1,508 of 14,892 async-profiler samples of its extract were adds, one miss each.
         */
        private static final int BATCH = 32;
        private final long[] pendingFp = new long[BATCH];
        private final long[] pendingOffset = new long[BATCH];
        private int pending;
        /** What the reads ahead of placing read, kept so that they are made. */
        private long touched;

        /** Adds an entry (a block seen again is added again; lookups find the first). */
        void add(long fp, long offset) throws UnsupportedCarException {
            if (offset <= 0 || offset > OFFSET_MASK) {
                throw new UnsupportedCarException(offset, 0, "section at offset " + offset
                        + " is past the 4 TiB this index addresses");
            }
            pendingFp[pending] = fp;
            pendingOffset[pending] = offset;
            pending++;
            size++;
            if (pending == BATCH) {
                place();
            }
        }

        /** Places the pending entries, in the order they were added. */
        private void place() throws UnsupportedCarException {
            long t = 0;
            for (int j = 0; j < pending; j++) {
                t += touch(pendingFp[j]);
            }
            touched = t;
            for (int j = 0; j < pending; j++) {
                long fp = pendingFp[j];
                int s = segment(fp);
                if (full(s, 1)) {
                    grow(s);
                }
                reinsert(segments[s], (tag(fp) << OFFSET_BITS) | pendingOffset[j]);
                sizes[s]++;
            }
            pending = 0;
        }

        @Override
        void reinsert(Slots seg, long v) {
            int i = home(seg, v >>> OFFSET_BITS); // the home comes from the tag the slot keeps
            while (seg.get(i) != 0) {
                if (++i == seg.length) {
                    i = 0;
                }
            }
            seg.set(i, v);
        }

        /**
         * Reads the slot where a {@link #find} of {@code fp} starts, if its segment is in memory
         * (as {@link Table#touch}): returns what it read, to be kept so the read is made.
         */
        long touch(long fp) {
            Slots seg = segments[segment(fp)];
            return seg instanceof Slots.InMemory ? seg.get(home(seg, tag(fp))) : 0;
        }

        /** The first offset whose section {@code check} accepts among those tagged like {@code fp}; -1 if none. */
        long find(long fp, OffsetCheck check) throws java.io.IOException {
            Slots seg = segments[segment(fp)];
            long t = tag(fp);
            int i = home(seg, t);
            long v;
            while ((v = seg.get(i)) != 0) {
                if ((v >>> OFFSET_BITS) == t && check.holds(v & OFFSET_MASK)) {
                    return v & OFFSET_MASK;
                }
                if (++i == seg.length) {
                    i = 0;
                }
            }
            for (int j = 0; j < pending; j++) { // added after everything placed
                if (pendingFp[j] == fp && check.holds(pendingOffset[j])) {
                    return pendingOffset[j];
                }
            }
            return -1;
        }
    }

    /**
     * Fingerprint -> value, in two slots a pair (the fingerprint, then the value, never 0); a
     * fingerprint may have several pairs (a block awaited by two parents). Removing a pair moves
     * the pairs after it in its run back (no markers left behind), so a table whose pairs come and
     * go stays the size of those present. 64 segments grown by half, as {@link Table}.
     */
    static final class PairTable extends Segmented {
        /** A table of one table's worth of memory. */
        PairTable() {
            this(TableMemory.Budget.ofTable());
        }

        PairTable(TableMemory.Budget budget) {
            super(2, budget);
        }

        /** The first slot of a fingerprint's home pair. */
        private static int home(Slots seg, long fp) {
            return (int) (((fp >>> 26) & 0xFFFFFFFFL) * (seg.length >> 1) >>> 32) << 1;
        }

        private static int next(Slots seg, int i) {
            return i + 2 == seg.length ? 0 : i + 2;
        }

        /** Adds a pair (another for a fingerprint already there). */
        void add(long fp, long value) {
            int s = segment(fp);
            if (full(s, 1)) {
                grow(s);
            }
            put(segments[s], fp, value);
            sizes[s]++;
            size++;
        }

        private static void put(Slots seg, long fp, long value) {
            int i = home(seg, fp);
            while (seg.get(i) != 0) {
                i = next(seg, i);
            }
            seg.set(i, fp);
            seg.set(i + 1, value);
        }

        /** The first slot of {@code fp}'s first pair, or -1. */
        private static int find(Slots seg, long fp) {
            for (int i = home(seg, fp); ; i = next(seg, i)) {
                long k = seg.get(i);
                if (k == fp) {
                    return i;
                }
                if (k == 0) {
                    return -1;
                }
            }
        }

        /** The value of {@code fp}'s first pair; 0 if it has none. */
        long get(long fp) {
            Slots seg = segments[segment(fp)];
            int i = find(seg, fp);
            return i < 0 ? 0 : seg.get(i + 1);
        }

        /** Sets the value of {@code fp}'s first pair, which must be there. */
        void set(long fp, long value) {
            Slots seg = segments[segment(fp)];
            seg.set(find(seg, fp) + 1, value);
        }

        /**
         * Adds the pair unless it is there already, in one probe (hasPair then add took two).
         *
         * @return whether it was added
         */
        boolean addIfAbsent(long fp, long value) {
            int s = segment(fp);
            if (full(s, 1)) {
                grow(s);
            }
            Slots seg = segments[s];
            int i = home(seg, fp);
            long k;
            for (; (k = seg.get(i)) != 0; i = next(seg, i)) {
                if (k == fp && seg.get(i + 1) == value) {
                    return false;
                }
            }
            seg.set(i, fp);
            seg.set(i + 1, value);
            sizes[s]++;
            size++;
            return true;
        }

        /** Whether {@code fp} has a pair whose value is {@code value}. */
        boolean hasPair(long fp, long value) {
            Slots seg = segments[segment(fp)];
            long k;
            for (int i = home(seg, fp); (k = seg.get(i)) != 0; i = next(seg, i)) {
                if (k == fp && seg.get(i + 1) == value) {
                    return true;
                }
            }
            return false;
        }

        /** Removes every pair of {@code fp}, handing each value to {@code sink}. */
        void removeAll(long fp, java.util.function.LongConsumer sink) {
            int s = segment(fp);
            Slots seg = segments[s];
            int i = home(seg, fp);
            long k;
            while ((k = seg.get(i)) != 0) {
                if (k == fp) {
                    sink.accept(seg.get(i + 1));
                    remove(seg, i); // what moved into slot i is looked at next
                    sizes[s]--;
                    size--;
                } else {
                    i = next(seg, i);
                }
            }
        }

        /** Empties pair {@code i}, moving back each later pair of the run that may live there. */
        private static void remove(Slots seg, int i) {
            int j = i;
            while (true) {
                j = next(seg, j);
                long k = seg.get(j);
                if (k == 0) {
                    break;
                }
                int h = home(seg, k);
                // The pair at j stays if its home lies cyclically in (i, j]: probes from there never pass i.
                boolean stays = i <= j ? i < h && h <= j : i < h || h <= j;
                if (!stays) {
                    seg.set(i, k);
                    seg.set(i + 1, seg.get(j + 1));
                    i = j;
                }
            }
            seg.set(i, 0);
            seg.set(i + 1, 0);
        }

        @Override
        void copy(Slots from, Slots to) {
            for (int i = 0; i < from.length; i += 2) {
                long k = from.get(i);
                if (k != 0) {
                    put(to, k, from.get(i + 1));
                }
            }
        }
    }
}
