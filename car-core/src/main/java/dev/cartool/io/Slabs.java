package dev.cartool.io;

import java.nio.ByteBuffer;

/**
 * Direct buffers of one size, cut from larger allocations ("slabs") that start on a 2 MiB
 * boundary, so that the kernel can back them with transparent huge pages: the launchers have
 * glibc's malloc ask for them ({@code glibc.malloc.hugetlb=1}) on every region it maps, but a
 * 4 MiB buffer allocated on its own sits at whatever address the mapping got, so only one of
 * the two 2 MiB pages it spans fits inside it and the rest, with the JDK zeroing every new
 * direct buffer, is faulted in 4 KiB at a time. On the 2-core guest that was 3,155 of a 64 MiB
 * extract's 5,193 page faults (async-profiler, page-faults), on the thread that reads ahead:
 * the six 4 MiB buffers of its writer. Cut from slabs, each buffer's pages are huge ones and
 * only the slab's unaligned ends (under 2 MiB each time) take small ones.
 *
 * <p>A slab is freed when it and every buffer cut from it are unreachable (each buffer keeps
 * it). One thread at a time.
 */
final class Slabs {
    /** The size of a transparent huge page on x86-64 and of a PMD-mapped page on most others. */
    static final int HUGE_PAGE = 2 << 20;

    private final int size;
    /** What is left of the last slab (its position at the next buffer), or null. */
    private ByteBuffer rest;
    private int slabs;

    /**
     * Buffers of {@code size} bytes, a multiple of 4 KiB: each starts on a boundary of the
     * largest power of two that divides it, up to 2 MiB (a 4 MiB buffer on 2 MiB, 256 KiB on
     * 256 KiB), enough for any direct I/O.
     */
    Slabs(int size) {
        if (size <= 0 || size % 4096 != 0 || size > Integer.MAX_VALUE - HUGE_PAGE) {
            throw new IllegalArgumentException("buffer size " + size + " is not a multiple of 4096 that fits a slab");
        }
        this.size = size;
    }

    /**
     * A new zeroed buffer of the size, from what is left of the last slab, or else from a new one
     * made for {@code count} buffers (at least 1, at most what one buffer of 2 GiB holds): the
     * first {@code count} buffers cost one allocation, and a slab's memory is taken (and zeroed)
     * whole when it is made.
     */
    ByteBuffer take(int count) {
        if (rest == null || rest.remaining() < size) {
            int n = Math.max(1, Math.min(count, (Integer.MAX_VALUE - HUGE_PAGE) / size));
            rest = ByteBuffer.allocateDirect(n * size + HUGE_PAGE).alignedSlice(HUGE_PAGE);
            slabs++;
        }
        ByteBuffer b = rest.slice(rest.position(), size);
        rest.position(rest.position() + size);
        return b;
    }

    /** Slabs made so far (for tests). */
    int slabsMade() {
        return slabs;
    }
}
