package dev.cartool.unixfs;

import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/**
 * A DAG that does not hold together as UnixFS: sizes that disagree, a link where a directory
 * was expected, a path that does not exist, a cycle. Names the CID concerned.
 */
public class UnixFsException extends CarException {
    private static final long serialVersionUID = 1L;
    private final transient Cid cid;

    public UnixFsException(Cid cid, String message) {
        super(-1, message);
        this.cid = cid;
    }

    public Cid cid() {
        return cid;
    }

    @Override
    public dev.cartool.error.Kind kind() {
        return dev.cartool.error.Kind.UNIXFS;
    }
}
