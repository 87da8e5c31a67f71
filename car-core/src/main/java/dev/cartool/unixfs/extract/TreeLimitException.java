package dev.cartool.unixfs.extract;

import dev.cartool.cid.Cid;
import dev.cartool.error.Kind;
import dev.cartool.unixfs.UnixFsException;

/** A walk reached one of its {@link TreeLimits}: nothing is wrong with the data, it is too big. */
public final class TreeLimitException extends UnixFsException {
    private static final long serialVersionUID = 1L;
    private final String limit;
    private final long value;

    TreeLimitException(Cid cid, String limit, long value, String message) {
        super(cid, message);
        this.limit = limit;
        this.value = value;
    }

    /** Which limit: {@code entries} or {@code bytes}. */
    public String limit() {
        return limit;
    }

    /** The limit's value. */
    public long value() {
        return value;
    }

    @Override
    public dev.cartool.error.Kind kind() {
        return dev.cartool.error.Kind.LIMIT;
    }
}
