package dev.cartool.car;

import java.io.IOException;

import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Varint;
import dev.cartool.io.Text;

/**
 * The one place a CAR's length-prefixed parts are decoded: the header's and each section's
 * length varint (minimal, at most 9 bytes, within its limit, zero refused or taken as the end)
 * and a section's CID. {@link CarReader} (a stream) and {@link CarFile} (positional reads) both
 * decode through it, so a damaged file gets the same check and the same message from either.
 * (js-car's {@code readBlockHead} over a {@code BytesReader} and go-car's {@code LdRead} are
 * the same idea.)
 */
final class SectionHead {
    private SectionHead() {
    }

    /** Bytes in order from wherever they come; -1 at the end. */
    @FunctionalInterface
    interface Bytes {
        int next() throws IOException;
    }

    /**
     * Reads a length varint that starts at {@code offset}.
     *
     * @param required false for a section: a clean end of the data before its first byte gives -1
     */
    static long length(Bytes in, String what, long offset, boolean required) throws IOException {
        long value = 0;
        for (int i = 0; i < Varint.MAX_BYTES; i++) {
            int b = in.next();
            if (b < 0) {
                if (i == 0 && !required) {
                    return -1;
                }
                throw new TruncatedCarException(offset, what + " at offset " + Text.n(offset)
                        + ": data ends inside its length varint");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new MalformedCarException(offset, what + " at offset " + Text.n(offset)
                            + ": length varint is not minimally encoded");
                }
                return value;
            }
        }
        throw new MalformedCarException(offset, what + " at offset " + Text.n(offset)
                + ": length varint is longer than " + Varint.MAX_BYTES + " bytes");
    }

    /**
     * Checks a section's length against the options before anything is allocated for it.
     *
     * @return the length, or -1 where a zero-length section ends the data (when the options say
     *     so, as go-car's {@code ZeroLengthSectionAsEOF})
     */
    static long checkSection(long offset, long length, CarReaderOptions options) throws MalformedCarException {
        if (length == 0) {
            if (options.zeroLengthSectionAsEof()) {
                return -1;
            }
            throw new MalformedCarException(offset, "section at offset " + Text.n(offset) + ": length is zero");
        }
        if (length > options.maxSectionLength()) {
            throw new MalformedCarException(offset, "section at offset " + Text.n(offset) + ": length "
                    + Text.n(length) + " exceeds the " + Text.n(options.maxSectionLength()) + " limit");
        }
        return length;
    }

    /** Checks the header's length the same way (zero is never the end here). */
    static long checkHeader(long length, CarReaderOptions options) throws MalformedCarException {
        if (length == 0) {
            throw new MalformedCarException(0, "header at offset 0: length is zero");
        }
        if (length > options.maxHeaderLength()) {
            throw new MalformedCarException(0, "header at offset 0: length " + Text.n(length)
                    + " exceeds the " + Text.n(options.maxHeaderLength()) + " limit");
        }
        return length;
    }

    /** A decoded header's version, checked: CARv1 is read here; a CARv2 pragma and others are not. */
    static CarHeader checkVersion(CarHeader h) throws UnsupportedCarException {
        if (h.version() == 2) {
            throw new UnsupportedCarException(0, 2, "CARv2 is not supported yet (the header is the CARv2 pragma)");
        }
        if (h.version() != 1) {
            throw new UnsupportedCarException(0, h.version(), "unsupported CAR version " + h.version());
        }
        return h;
    }

    /** The CID that opens a section's bytes {@code b[from, to)}. */
    static Cid cid(byte[] b, int from, int to, long offset) throws MalformedCarException {
        try {
            return Cid.decode(b, from, to);
        } catch (CidFormatException e) {
            throw new MalformedCarException(offset, "section at offset " + Text.n(offset) + ": bad CID: "
                    + e.getMessage(), e);
        }
    }

    /** A section whose data would run past the end of a file of {@code size} bytes. */
    static TruncatedCarException pastEnd(long offset, int varintLength, long length, long size) {
        return new TruncatedCarException(offset, "section at offset " + Text.n(offset) + ": data ends after "
                + Text.n(size - offset - varintLength) + " of " + Text.n(length) + " bytes");
    }
}
