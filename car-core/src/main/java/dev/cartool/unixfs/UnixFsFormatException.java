package dev.cartool.unixfs;

import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/** Bytes that are not a valid UnixFS Data message. The caller adds the block's CID. */
public class UnixFsFormatException extends CarException {
    private static final long serialVersionUID = 1L;

    public UnixFsFormatException(String message) {
        super(-1, message, Kind.MALFORMED_BLOCK);
    }
}
