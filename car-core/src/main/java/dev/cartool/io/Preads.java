package dev.cartool.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads of a whole range, landed where the kernel copies them quickly.
 *
 * <p>The kernel's copy out of the page cache slows down when the destination's place in its page
 * lies just past the source's: on a 2-core AMD EPYC guest (Linux 6.18), reading one GiB into a
 * buffer whose address is 1 to 31 bytes further into its page than the file offset is into
 * its own took 0.64-0.73 s of system time, and 0.13-0.17 s at any other distance, 0 included.
 * That distance is what the JDK gives: a read into a heap buffer goes through a temporary direct
 * buffer, which for a read of 128 KiB or more is a fresh mapping from malloc, 16 bytes into its
 * page; and a plain file's leaves lie at page-aligned offsets (every 256 KiB). Reading such a
 * file's leaves and hashing them took 1.32 s a GiB on one thread, 0.88 s with the read landed as
 * here.
 *
 * <p>So a long read into a direct buffer that lies well is made straight into it; any other (a
 * heap buffer, which the collector may move) into a direct buffer a thread keeps, at
 * the place in it whose distance from the file offset is a multiple of the page, and copied on
 * from there by the JVM (whose copy does not slow down so). Reads of a few KiB are made as asked.
 */
public final class Preads {
    private static final int PAGE = 4096;
    /**
     * At most this much is read into the thread's buffer at once: a whole 256 KiB leaf in one
     * read. At 64 KiB, the four reads and copies a leaf took ran the JDK's read path (some thirty
     * methods a call) often enough for C1 to compile it within a 64 MiB verify. Alternating runs
     * (15 and 13): verify of 64 MiB 0.130 -> 0.124 s (CPU 0.202 -> 0.188 s), of 1 GiB 0.536 ->
     * 0.520 s (CPU 1.004 -> 0.970 s); 128 KiB in between.
     */
    static final int PIECE = 256 << 10;
    /** Reads up to this size go straight into the caller's buffer (a section head, a small block). */
    static final int STRAIGHT = 8 << 10;
    /**
     * Destinations this far or further into their page past the source's (or exactly level) are
     * copied into at full speed: slow from 1 to 31 bytes, measured fast from 32 on; a cache line
     * of margin.
     */
    static final int SLOW_BELOW = 64;

    private static final ThreadLocal<ByteBuffer> BOUNCE =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(PIECE + 2 * PAGE).alignedSlice(PAGE));

    private Preads() {
    }

    /**
     * Reads from {@code file} at {@code position} into {@code dst} until it is full or the file
     * ends: {@code dst}'s bytes from its position to its limit come from {@code [position,
     * position + dst.remaining())}. The file's own position is not used or moved.
     *
     * @return true when {@code dst} was filled; false when the file ended first, with
     *     {@code dst}'s position just after the last byte read (so the file ended at {@code
     *     position} plus what was read)
     */
    public static boolean readFully(FileChannel file, ByteBuffer dst, long position) throws IOException {
        long at = position;
        if (dst.remaining() <= STRAIGHT || dst.isDirect() && landsWell(dst, position)) {
            while (dst.hasRemaining()) {
                int n = file.read(dst, at);
                if (n < 0) {
                    return false;
                }
                at += n;
            }
            return true;
        }
        ByteBuffer bounce = BOUNCE.get();
        while (dst.hasRemaining()) {
            int skew = (int) (at & (PAGE - 1));
            bounce.limit(skew + Math.min(PIECE, dst.remaining())).position(skew);
            int n = file.read(bounce, at);
            if (n < 0) {
                return false;
            }
            at += n;
            dst.put(bounce.limit(skew + n).position(skew));
        }
        return true;
    }

    /** Whether the kernel copies quickly from {@code position} into direct {@code dst} at its position. */
    static boolean landsWell(ByteBuffer dst, long position) {
        int distance = (dst.alignmentOffset(dst.position(), PAGE) - (int) (position & (PAGE - 1))) & (PAGE - 1);
        return distance == 0 || distance >= SLOW_BELOW;
    }
}
