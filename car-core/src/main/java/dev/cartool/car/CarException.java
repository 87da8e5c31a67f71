package dev.cartool.car;

import java.io.IOException;

/**
 * The root of everything that can be wrong with a CAR's bytes. Each carries the byte offset
 * (from the start of the file) where the problem was found, or -1 when no single place applies.
 */
public class CarException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public CarException(long offset, String message) {
        super(message);
        this.offset = offset;
    }

    public CarException(long offset, String message, Throwable cause) {
        super(message, cause);
        this.offset = offset;
    }

    /**
     * What kind of problem this is: the one vocabulary the verify report, the CLI's exit codes
     * and the gateway's statuses are mapped from. Subclasses say their own.
     */
    public VerifyReport.Kind kind() {
        return VerifyReport.Kind.MALFORMED;
    }

    /** Byte offset of the problem, or -1. */
    public long offset() {
        return offset;
    }

    /** Formats a byte count or offset the way every message in this toolkit does: {@code 1,234}. */
    public static String n(long value) {
        return String.format(java.util.Locale.ROOT, "%,d", value);
    }
}
