package dev.cartool.cid;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Unsigned LEB128 varints as multiformats uses them: at most 9 bytes (63 bits), and only the
 * minimal encoding is accepted ({@code 0x80 0x00} is not a way to write zero).
 */
public final class Varint {
    /** The most bytes a multiformats varint may take. */
    public static final int MAX_BYTES = 9;

    private Varint() {
    }

    /** Number of bytes {@code value} takes when encoded. */
    public static int size(long value) {
        requireUnsigned(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    public static byte[] encode(long value) {
        byte[] out = new byte[size(value)];
        put(value, out, 0);
        return out;
    }

    /** Writes {@code value} into {@code dst} at {@code pos}; returns the position after it. */
    public static int put(long value, byte[] dst, int pos) {
        requireUnsigned(value);
        while ((value & ~0x7FL) != 0) {
            dst[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        dst[pos++] = (byte) value;
        return pos;
    }

    public static void write(long value, OutputStream out) throws IOException {
        out.write(encode(value));
    }

    /**
     * Decodes a varint from {@code src} starting at {@code pos}.
     *
     * @return the value; the number of bytes used is {@link #size(long)} of it
     * @throws VarintException if it is truncated, longer than 9 bytes or not minimal
     */
    public static long decode(byte[] src, int pos, int end) throws CidFormatException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (pos + i >= end) {
                throw new VarintException("varint truncated after " + i + " byte(s)", i, true);
            }
            int b = src[pos + i] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new VarintException("varint is not minimally encoded", i, false);
                }
                return value;
            }
        }
        throw new VarintException("varint longer than " + MAX_BYTES + " bytes", MAX_BYTES, false);
    }

    public static long decode(byte[] src) throws CidFormatException {
        return decode(src, 0, src.length);
    }

    /**
     * Reads one varint from a stream.
     *
     * @return the value, or -1 if the stream ended before its first byte
     * @throws EOFException if the stream ends inside the varint
     * @throws VarintException if it is longer than 9 bytes or not minimal
     */
    public static long read(InputStream in) throws IOException {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return -1;
                }
                throw new EOFException("varint truncated after " + i + " byte(s)");
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new VarintException("varint is not minimally encoded", i, false);
                }
                return value;
            }
        }
        throw new VarintException("varint longer than " + MAX_BYTES + " bytes", MAX_BYTES, false);
    }

    private static void requireUnsigned(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint value must not be negative: " + value);
        }
    }

    /** A malformed varint; {@link #position()} is the offset of the bad byte within it. */
    public static final class VarintException extends CidFormatException {
        private static final long serialVersionUID = 1L;
        private final int position;
        private final boolean truncated;

        VarintException(String message, int position, boolean truncated) {
            super(message);
            this.position = position;
            this.truncated = truncated;
        }

        public int position() {
            return position;
        }

        public boolean truncated() {
            return truncated;
        }
    }
}
