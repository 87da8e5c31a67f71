package dev.cartool.car;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which sections of one open CAR file have had their data hashed and found to match their CIDs,
 * so that a block read again (the gateway serves the same file many times) is not hashed again,
 * and can be sent from the file without being read.
 *
 * <p>Lossy by design, never wrong the other way: a direct-mapped table of section offsets, one
 * slot each, where a later offset that maps to the same slot evicts the earlier one. A section
 * not found is hashed again. The table is made on first use and its size is fixed then: a slot
 * per 16 KiB of file, between 4,096 and 131,072 slots (32 KiB to 1 MiB).
 *
 * <p>What it records holds while the file is not rewritten in place: the store's files never
 * are, and a CAR given to {@code car serve} must not be while it is served.
 */
final class CheckedSections {
    static final int MIN_SLOTS = 1 << 12;
    static final int MAX_SLOTS = 1 << 17;
    private final int bits;
    private volatile AtomicLongArray slots;

    CheckedSections(long fileSize) {
        long want = Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, fileSize >>> 14));
        this.bits = 64 - Long.numberOfLeadingZeros(want - 1);
    }

    /** Slots in the table (a power of two). */
    int capacity() {
        return 1 << bits;
    }

    /** Whether the section at {@code offset} was recorded as checked (and not evicted since). */
    boolean contains(long offset) {
        AtomicLongArray s = slots;
        return s != null && offset >= 0 && s.get(slot(offset)) == offset + 1;
    }

    /** Records that the section at {@code offset} was checked. */
    void add(long offset) {
        AtomicLongArray s = slots;
        if (s == null) {
            synchronized (this) {
                s = slots;
                if (s == null) {
                    slots = s = new AtomicLongArray(1 << bits);
                }
            }
        }
        s.lazySet(slot(offset), offset + 1); // 0 is an empty slot
    }

    private int slot(long offset) {
        return (int) ((offset * 0x9E3779B97F4A7C15L) >>> (64 - bits));
    }
}
