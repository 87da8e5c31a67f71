package dev.cartool.block;

import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;

/** A problem with one block, named by its CID: it is missing, fails its hash or does not decode. */
public abstract class BlockException extends CarException {
    private static final long serialVersionUID = 1L;
    private final transient Cid cid;

    protected BlockException(long offset, Cid cid, String message) {
        super(offset, message);
        this.cid = cid;
    }

    /** The block concerned: the CID it is stored or linked under. */
    public Cid cid() {
        return cid;
    }
}
