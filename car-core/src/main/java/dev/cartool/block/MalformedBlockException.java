package dev.cartool.block;

import static dev.cartool.io.Text.n;

import dev.cartool.cid.Cid;
import dev.cartool.error.Kind;

/** A block whose bytes hash correctly but do not decode under the codec its CID names. */
public class MalformedBlockException extends BlockException {
    private static final long serialVersionUID = 1L;

    /**
     * @param offset the block's section offset in its CAR, or -1 if unknown
     */
    public MalformedBlockException(long offset, Cid cid, String detail) {
        super(offset, cid, "block " + cid + (offset >= 0 ? " at offset " + n(offset) : "") + ": " + detail);
    }

    @Override
    public Kind kind() {
        return Kind.MALFORMED_BLOCK;
    }
}
