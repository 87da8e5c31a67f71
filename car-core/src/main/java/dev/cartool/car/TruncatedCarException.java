package dev.cartool.car;

import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/** The data ended in the middle of a header or section: the file is incomplete, not corrupt. */
public class TruncatedCarException extends CarException {
    private static final long serialVersionUID = 1L;

    public TruncatedCarException(long offset, String message) {
        super(offset, message);
    }

    @Override
    public Kind kind() {
        return Kind.TRUNCATED;
    }
}
