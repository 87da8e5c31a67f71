package dev.cartool.io;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Buffers kept for reuse by size class (powers of two, at least 1 KiB), so a buffer is
 * never more than twice what it holds and a budget counted in capacity bounds memory whatever the
 * sizes asked for. At most {@code budget} bytes are kept; what is released beyond that is left to
 * the collector. The one pool behind reading file content (leaves), importing (chunks) and packing.
 */
public final class BufferPool {
    private static final int MIN_CLASS = 1024;
    /**
     * Buffers smaller than this are heap buffers: a file's small leaves are copied from a heap
     * read window into them, hashed, and gathered into a heap buffer for writing, and between
     * heap arrays each of those copies is an arraycopy, where to or from a direct buffer each went
     * through Unsafe.copyMemory's checks (and the digest copied a direct buffer into an array
     * first). car get of 10 million 64-byte leaves, 4 alternating runs: 7.80-8.80 -> 7.87-8.24 s,
     * 12.1 -> 11.5 user CPU-s (medians); extract of the same CAR 8.30 -> 7.63 s (2 runs).
     */
    static final int HEAP_BELOW = 16 << 10;

    private final long budget;
    /**
     * Direct buffers by size class, cut from slabs (see {@link Slabs}) of {@link #perSlab} bytes'
     * worth of buffers; null: each allocated on its own.
     */
    private final Slabs[] slabs;
    private final long perSlab;
    /** Free buffers by size class: index k holds those of 2^k bytes. */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<ByteBuffer>[] free = new ArrayDeque[31];
    private long kept;

    /** A pool that keeps at most {@code budget} bytes of free buffers. */
    public BufferPool(long budget) {
        this(budget, 0);
    }

    private BufferPool(long budget, long perSlab) {
        this.budget = budget;
        this.slabs = perSlab > 0 ? new Slabs[31] : null;
        this.perSlab = perSlab;
    }

    /**
     * A pool whose direct buffers are cut from slabs of {@code perSlab} bytes' worth of buffers
     * of a size class (at least one buffer each), in memory the kernel can back with huge pages
     * ({@link Slabs}): the kernel's copies into them are faster, and making them takes fewer page
     * faults. For pools whose buffers are used at once, or in turn (not for one made per request):
     * a slab's memory is taken whole when the first buffer from it is.
     */
    public static BufferPool slabbed(long budget, long perSlab) {
        if (perSlab <= 0) {
            throw new IllegalArgumentException("slab of " + perSlab + " bytes");
        }
        return new BufferPool(budget, perSlab);
    }

    /** The capacity a buffer for {@code length} bytes gets. */
    public static int sizeClass(long length) {
        if (length > 1 << 30) {
            throw new IllegalArgumentException("no buffer class holds " + length + " bytes");
        }
        return length <= MIN_CLASS ? MIN_CLASS : (int) Long.highestOneBit(length - 1) << 1;
    }

    /**
     * A cleared buffer of at least {@code length} bytes (its size class), limited to {@code
     * length}: direct from {@link #HEAP_BELOW} on, on the heap below.
     */
    public synchronized ByteBuffer acquire(long length) {
        int cls = sizeClass(length);
        ArrayDeque<ByteBuffer> q = free[Integer.numberOfTrailingZeros(cls)];
        ByteBuffer b;
        if (q != null && !q.isEmpty()) {
            kept -= cls;
            b = q.pop();
        } else {
            b = cls < HEAP_BELOW ? ByteBuffer.allocate(cls) : slabs != null ? slab(cls) : ByteBuffer.allocateDirect(cls);
        }
        return b.clear().limit((int) length);
    }

    private ByteBuffer slab(int cls) {
        int k = Integer.numberOfTrailingZeros(cls);
        if (slabs[k] == null) {
            slabs[k] = new Slabs(cls);
        }
        return slabs[k].take((int) Math.min(Integer.MAX_VALUE, perSlab / cls));
    }

    /**
     * Gives a buffer back. Only a buffer no other thread can still be writing may be released:
     * one whose read was cancelled is dropped instead.
     */
    public synchronized void release(ByteBuffer b) {
        int cls = b.capacity();
        if (Integer.bitCount(cls) != 1 || cls < MIN_CLASS || kept + cls > budget) {
            return;
        }
        int k = Integer.numberOfTrailingZeros(cls);
        if (free[k] == null) {
            free[k] = new ArrayDeque<>();
        }
        free[k].push(b);
        kept += cls;
    }

    /** Bytes of free buffers kept now. */
    public synchronized long kept() {
        return kept;
    }
}
