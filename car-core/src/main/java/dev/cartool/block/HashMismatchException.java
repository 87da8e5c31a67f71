package dev.cartool.block;

import static dev.cartool.io.Text.n;

import dev.cartool.cid.Cid;
import dev.cartool.error.Kind;

/** A block whose content does not hash to its CID. */
public class HashMismatchException extends BlockIntegrityException {
    private static final long serialVersionUID = 1L;
    private final transient Cid actual;

    public HashMismatchException(long offset, Cid expected, Cid actual) {
        super(offset, expected, "block " + expected + " at offset " + n(offset)
                + ": hash mismatch, content hashes to " + actual);
        this.actual = actual;
    }

    /** The CID the content actually hashes to (same version, codec and hash function). */
    public Cid actual() {
        return actual;
    }

    @Override
    public Kind kind() {
        return Kind.HASH_MISMATCH;
    }
}
