package dev.cartool.error;

import java.io.IOException;

/**
 * The root of everything that can be wrong with a CAR's bytes. Each carries the byte offset
 * (from the start of the file) where the problem was found, or -1 when no single place applies.
 */
public class CarException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final Kind kind;

    public CarException(long offset, String message) {
        super(message);
        this.offset = offset;
        this.kind = null;
    }

    public CarException(long offset, String message, Throwable cause) {
        super(message, cause);
        this.offset = offset;
        this.kind = null;
    }

    /** A problem of {@code kind} found while handling {@code cause} (a wrapper that adds where). */
    public CarException(long offset, String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.offset = offset;
        this.kind = kind;
    }

    /** A problem reported by kind (a verify report's), kept as that kind. */
    public CarException(long offset, String message, Kind kind) {
        super(message);
        this.offset = offset;
        this.kind = kind;
    }

    /**
     * What kind of problem this is: the one vocabulary the verify report, the CLI's exit codes
     * and the gateway's statuses are mapped from. Subclasses say their own.
     */
    public Kind kind() {
        return kind != null ? kind : Kind.MALFORMED;
    }

    /** Byte offset of the problem, or -1. */
    public long offset() {
        return offset;
    }

}
