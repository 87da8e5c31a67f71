package dev.cartool.block;

import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/** A block a DAG needs is not where it was looked for. */
public class MissingBlockException extends CarException {
    private static final long serialVersionUID = 1L;
    private final transient Cid cid;

    public MissingBlockException(Cid cid) {
        super(-1, "block " + cid + " is missing");
        this.cid = cid;
    }

    public MissingBlockException(Cid cid, String message) {
        super(-1, message);
        this.cid = cid;
    }

    public Cid cid() {
        return cid;
    }

    @Override
    public Kind kind() {
        return Kind.MISSING_BLOCK;
    }
}
