package dev.cartool.car;

import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/** A well-formed CAR of a version (or feature) this toolkit does not read. */
public class UnsupportedCarException extends CarException {
    private static final long serialVersionUID = 1L;
    private final long version;

    public UnsupportedCarException(long offset, long version, String message) {
        super(offset, message);
        this.version = version;
    }

    /** The version the header declares. */
    public long version() {
        return version;
    }

    @Override
    public Kind kind() {
        return Kind.UNSUPPORTED;
    }
}
