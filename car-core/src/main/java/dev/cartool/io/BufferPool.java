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
    /** Free buffers by size class: index k holds those of 2^k bytes. */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<ByteBuffer>[] free = new ArrayDeque[31];
    private long kept;

    /** A pool that keeps at most {@code budget} bytes of free buffers. */
    public BufferPool(long budget) {
        this.budget = budget;
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
            b = cls < HEAP_BELOW ? ByteBuffer.allocate(cls) : ByteBuffer.allocateDirect(cls);
        }
        return b.clear().limit((int) length);
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
