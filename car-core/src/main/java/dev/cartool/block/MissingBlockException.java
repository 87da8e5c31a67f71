package dev.cartool.block;

import dev.cartool.cid.Cid;
import dev.cartool.error.Kind;

/** A block a DAG needs is not where it was looked for. */
public class MissingBlockException extends BlockException {
    private static final long serialVersionUID = 1L;

    public MissingBlockException(Cid cid) {
        super(-1, cid, "block " + cid + " is missing");
    }

    public MissingBlockException(Cid cid, String message) {
        super(-1, cid, message);
    }

    @Override
    public Kind kind() {
        return Kind.MISSING_BLOCK;
    }
}
