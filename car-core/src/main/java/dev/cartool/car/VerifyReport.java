package dev.cartool.car;

import java.util.List;

import dev.cartool.cid.Cid;
import dev.cartool.error.Kind;

/**
 * What {@link CarVerifier} found.
 *
 * @param roots the header's roots (empty if the header could not be read)
 * @param blocks blocks read and hash-checked
 * @param bytes bytes of the CAR read and found sound: all of its data, or (when reading stopped at a
 *     problem) up to the end of the last good section
 * @param problems everything wrong, in the order found; empty means the CAR passed
 * @param unknownCodecBlocks blocks whose codec this toolkit cannot follow links in: the DAG
 *     below them was not checked for completeness
 */
public record VerifyReport(List<Cid> roots, long blocks, long bytes, List<Problem> problems,
        long unknownCodecBlocks) {
    public VerifyReport {
        roots = List.copyOf(roots);
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }


    /**
     * One thing wrong.
     *
     * @param offset byte offset in the CAR, or -1
     * @param cid the block concerned, or null
     * @param exception what was thrown when the problem was found, kept whole (its type, its
     *     cause); null for what the verifier found by looking (a missing root, a missing block)
     */
    public record Problem(Kind kind, long offset, Cid cid, String message, Exception exception) {
        /** A problem found by looking, not thrown. */
        public Problem(Kind kind, long offset, Cid cid, String message) {
            this(kind, offset, cid, message, null);
        }
    }
}
