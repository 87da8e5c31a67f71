package dev.cartool.block;

import dev.cartool.cid.Cid;

/**
 * A block whose bytes could not be shown to match its CID: either they hash to something else
 * ({@link HashMismatchException}) or its hash function is unknown
 * ({@link UnverifiableBlockException}).
 */
public abstract class BlockIntegrityException extends BlockException {
    private static final long serialVersionUID = 1L;

    protected BlockIntegrityException(long offset, Cid cid, String message) {
        super(offset, cid, message);
    }
}
