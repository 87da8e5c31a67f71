package dev.cartool.cid;

import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/**
 * A CID, multihash, multibase string or varint that is not valid. Where the bytes came from a
 * CAR, readers wrap it in an exception that names the offset; on its own it is
 * {@link Kind#SYNTAX}: text from a user or a request that does not parse.
 */
public class CidFormatException extends CarException {
    private static final long serialVersionUID = 1L;

    public CidFormatException(String message) {
        super(-1, message, Kind.SYNTAX);
    }

    public CidFormatException(String message, Throwable cause) {
        super(-1, message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.SYNTAX;
    }
}
