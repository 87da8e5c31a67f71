package dev.cartool.cid;

import java.util.Arrays;
import java.util.Optional;

/**
 * A self-describing hash: {@code varint(code) varint(length) digest}. Immutable; arrays are
 * copied in and out.
 */
public final class Multihash {
    /** Digests longer than this are refused when decoding (identity hashes included). */
    public static final int MAX_DIGEST_LENGTH = 1 << 20;

    private final long code;
    private final byte[] digest;
    private final byte[] bytes;

    private Multihash(long code, byte[] digest, byte[] bytes) {
        this.code = code;
        this.digest = digest;
        this.bytes = bytes;
    }

    public static Multihash of(long code, byte[] digest) {
        byte[] d = digest.clone();
        int head = Varint.size(code) + Varint.size(d.length);
        byte[] bytes = new byte[head + d.length];
        int pos = Varint.put(code, bytes, 0);
        pos = Varint.put(d.length, bytes, pos);
        System.arraycopy(d, 0, bytes, pos, d.length);
        return new Multihash(code, d, bytes);
    }

    /** Hashes {@code data} with the function for {@code code}. */
    public static Multihash digest(long code, byte[] data) {
        return of(code, HashFunction.forCode(code)
                .orElseThrow(() -> new IllegalArgumentException("no hash function for "
                        + Multicodec.name(code)))
                .digest(data, 0, data.length));
    }

    /** Decodes a multihash that fills {@code bytes} exactly. */
    public static Multihash decode(byte[] bytes) throws CidFormatException {
        Multihash mh = decode(bytes, 0, bytes.length);
        if (mh.encodedLength() != bytes.length) {
            throw new CidFormatException("multihash followed by " + (bytes.length - mh.encodedLength())
                    + " unexpected byte(s)");
        }
        return mh;
    }

    /** Decodes the multihash at the start of {@code src[pos, end)}; bytes after it are left. */
    public static Multihash decode(byte[] src, int pos, int end) throws CidFormatException {
        try {
            long code = Varint.decode(src, pos, end);
            int p = pos + Varint.size(code);
            long len = Varint.decode(src, p, end);
            p += Varint.size(len);
            if (len > MAX_DIGEST_LENGTH) {
                throw new CidFormatException("multihash digest length " + len + " exceeds the "
                        + MAX_DIGEST_LENGTH + " limit");
            }
            if (len > end - p) {
                throw new CidFormatException("multihash digest truncated: " + len
                        + " byte(s) declared, " + (end - p) + " present");
            }
            byte[] digest = Arrays.copyOfRange(src, p, p + (int) len);
            byte[] bytes = Arrays.copyOfRange(src, pos, p + (int) len);
            return new Multihash(code, digest, bytes);
        } catch (Varint.VarintException e) {
            throw new CidFormatException("bad multihash: " + e.getMessage(), e);
        }
    }

    public long code() {
        return code;
    }

    /** The hash function's table name, or hex for an unknown code. */
    public String name() {
        return Multicodec.name(code);
    }

    public byte[] digest() {
        return digest.clone();
    }

    public int digestLength() {
        return digest.length;
    }

    /** The encoded multihash. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    public int encodedLength() {
        return bytes.length;
    }

    public boolean isIdentity() {
        return code == Multicodec.IDENTITY;
    }

    /** The hash function for this code, if this toolkit has one. */
    public Optional<HashFunction> function() {
        return HashFunction.forCode(code);
    }

    /**
     * Whether a digest computed over some data by {@link #function()} matches this multihash:
     * equal, or (for a multihash that declares a truncated digest) equal over its length.
     */
    public boolean matchesDigest(byte[] computed) {
        if (isIdentity() ? computed.length != digest.length : computed.length < digest.length) {
            return false;
        }
        return Arrays.equals(computed, 0, digest.length, digest, 0, digest.length);
    }

    byte[] rawBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash && Arrays.equals(bytes, ((Multihash) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return name() + ":" + Multibase.hex(digest);
    }
}
