package dev.cartool.car;

import dev.cartool.error.CarException;

/** The bytes do not follow the CAR format (bad varint, header, CID, or a length over a limit). */
public class MalformedCarException extends CarException {
    private static final long serialVersionUID = 1L;

    public MalformedCarException(long offset, String message) {
        super(offset, message);
    }

    public MalformedCarException(long offset, String message, Throwable cause) {
        super(offset, message, cause);
    }
}
