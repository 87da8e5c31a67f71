package dev.cartool.car;

/**
 * How a CAR is read: length limits checked before any allocation, whether block hashes are
 * checked (yes by default), and go-car's zero-length-section-as-end option.
 *
 * @param maxHeaderLength the largest header accepted, in bytes (go-car's default: 32 MiB)
 * @param maxSectionLength the largest section (CID + block) accepted (default: 8 MiB)
 * @param verifyHashes check every block against its CID (default: true)
 * @param zeroLengthSectionAsEof treat a zero-length section as the end of the data (default: false)
 */
public record CarReaderOptions(int maxHeaderLength, int maxSectionLength, boolean verifyHashes,
        boolean zeroLengthSectionAsEof) {
    public static final int DEFAULT_MAX_HEADER_LENGTH = 32 << 20;
    public static final int DEFAULT_MAX_SECTION_LENGTH = dev.cartool.block.Block.MAX_LENGTH;
    public static final CarReaderOptions DEFAULTS = new CarReaderOptions(
            DEFAULT_MAX_HEADER_LENGTH, DEFAULT_MAX_SECTION_LENGTH, true, false);

    public CarReaderOptions {
        if (maxHeaderLength <= 0 || maxSectionLength <= 0) {
            throw new IllegalArgumentException("length limits must be positive");
        }
    }

    public CarReaderOptions withMaxHeaderLength(int n) {
        return new CarReaderOptions(n, maxSectionLength, verifyHashes, zeroLengthSectionAsEof);
    }

    public CarReaderOptions withMaxSectionLength(int n) {
        return new CarReaderOptions(maxHeaderLength, n, verifyHashes, zeroLengthSectionAsEof);
    }

    public CarReaderOptions withVerifyHashes(boolean verify) {
        return new CarReaderOptions(maxHeaderLength, maxSectionLength, verify, zeroLengthSectionAsEof);
    }

    /** Trust the input: do not hash blocks (for listings, or when another stage verifies). */
    public CarReaderOptions trusting() {
        return withVerifyHashes(false);
    }

    public CarReaderOptions withZeroLengthSectionAsEof(boolean eof) {
        return new CarReaderOptions(maxHeaderLength, maxSectionLength, verifyHashes, eof);
    }
}
