package dev.cartool.unixfs;

/** Bytes that are not a valid UnixFS Data message. The caller adds the block's CID. */
public class UnixFsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnixFsFormatException(String message) {
        super(message);
    }
}
