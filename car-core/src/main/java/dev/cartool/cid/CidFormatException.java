package dev.cartool.cid;

/** A CID, multihash or multibase string or byte sequence given by a user that is not valid. */
public class CidFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CidFormatException(String message) {
        super(message);
    }

    public CidFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
