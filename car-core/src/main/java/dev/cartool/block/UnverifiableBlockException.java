package dev.cartool.block;

import static dev.cartool.io.Text.n;

import dev.cartool.cid.Cid;
import dev.cartool.error.Kind;

/** A block whose multihash uses a hash function this toolkit cannot compute. */
public class UnverifiableBlockException extends BlockIntegrityException {
    private static final long serialVersionUID = 1L;

    public UnverifiableBlockException(long offset, Cid cid) {
        super(offset, cid, "block " + cid + " at offset " + n(offset)
                + ": cannot be verified, unsupported hash function " + cid.multihash().name());
    }

    public UnverifiableBlockException(long offset, Cid cid, String message) {
        super(offset, cid, message);
    }

    @Override
    public Kind kind() {
        return Kind.UNVERIFIABLE;
    }
}
