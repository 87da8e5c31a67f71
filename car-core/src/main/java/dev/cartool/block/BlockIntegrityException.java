package dev.cartool.block;

import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;

/**
 * A block whose bytes could not be shown to match its CID: either they hash to something else
 * ({@link HashMismatchException}) or its hash function is unknown
 * ({@link UnverifiableBlockException}).
 */
public abstract class BlockIntegrityException extends CarException {
    private static final long serialVersionUID = 1L;
    private final transient Cid cid;

    protected BlockIntegrityException(long offset, Cid cid, String message) {
        super(offset, message);
        this.cid = cid;
    }

    /** The CID the block is stored under. */
    public Cid cid() {
        return cid;
    }
}
