package dev.cartool.car;

/** The data ended in the middle of a header or section: the file is incomplete, not corrupt. */
public class TruncatedCarException extends CarException {
    private static final long serialVersionUID = 1L;

    public TruncatedCarException(long offset, String message) {
        super(offset, message);
    }

    @Override
    public VerifyReport.Kind kind() {
        return VerifyReport.Kind.TRUNCATED;
    }
}
