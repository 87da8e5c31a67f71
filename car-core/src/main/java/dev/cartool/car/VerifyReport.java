package dev.cartool.car;

import java.util.List;

import dev.cartool.cid.Cid;

/**
 * What {@link CarVerifier} found.
 *
 * @param roots the header's roots (empty if the header could not be read)
 * @param blocks blocks read and hash-checked
 * @param bytes bytes of the CAR consumed
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

    /** The kinds of problem, as they appear in machine-readable reports. */
    public enum Kind {
        NO_ROOTS("no-roots"),
        MALFORMED("malformed"),
        TRUNCATED("truncated"),
        UNSUPPORTED("unsupported"),
        HASH_MISMATCH("hash-mismatch"),
        UNVERIFIABLE("unverifiable"),
        MALFORMED_BLOCK("malformed-block"),
        MISSING_ROOT("missing-root"),
        MISSING_BLOCK("missing-block"),
        /** A DAG that does not hold together as UnixFS (sizes, names, cycles). */
        UNIXFS("unixfs"),
        /** A path that names nothing in the DAG. */
        NOT_FOUND("not-found"),
        /** A walk past one of its limits: nothing wrong with the data, it is too big. */
        LIMIT("limit"),
        IO("io");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One thing wrong.
     *
     * @param offset byte offset in the CAR, or -1
     * @param cid the block concerned, or null
     */
    public record Problem(Kind kind, long offset, Cid cid, String message) {
    }
}
