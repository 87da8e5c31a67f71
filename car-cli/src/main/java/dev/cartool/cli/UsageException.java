package dev.cartool.cli;

/** A bad argument found after parsing (e.g. a file that is not a CAR and not a CID): exit 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
