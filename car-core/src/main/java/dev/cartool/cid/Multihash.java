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
    /**
     * The encoded multihash is {@code data[start..]}, its digest {@code data[digestAt..]}. The
     * array may be a CID's own binary form, which holds the multihash at its end (one array a
     * decoded CID, not three); it is never handed out.
     */
    private final byte[] data;
    private final int start;
    private final int digestAt;
    /**
     * {@link #hashCode()} once computed (0: not yet), as String keeps its own: a block's multihash
     * keys the maps of a CAR read from a stream several times over (looked for, held, dropped),
     * and each lookup walked its 34 bytes again. Benign race: every thread computes the same value.
     */
    private int hash;

    private Multihash(long code, byte[] data, int start, int digestAt) {
        this.code = code;
        this.data = data;
        this.start = start;
        this.digestAt = digestAt;
    }

    public static Multihash of(long code, byte[] digest) {
        int head = Varint.size(code) + Varint.size(digest.length);
        byte[] bytes = new byte[head + digest.length];
        int pos = Varint.put(code, bytes, 0);
        pos = Varint.put(digest.length, bytes, pos);
        System.arraycopy(digest, 0, bytes, pos, digest.length);
        return new Multihash(code, bytes, 0, pos);
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
        int length = measure(src, pos, end);
        return within(Arrays.copyOfRange(src, pos, pos + length), 0);
    }

    /**
     * The length of the multihash at the start of {@code src[pos, end)}, its head and digest
     * checked to fit.
     */
    static int measure(byte[] src, int pos, int end) throws CidFormatException {
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
            return p + (int) len - pos;
        } catch (Varint.VarintException e) {
            throw new CidFormatException("bad multihash: " + e.getMessage(), e);
        }
    }

    /**
     * The multihash that fills {@code owned[start..]}, already {@link #measure measured} to fit
     * exactly; the array is kept, not copied.
     */
    static Multihash within(byte[] owned, int start) throws CidFormatException {
        try {
            long code = Varint.decode(owned, start, owned.length);
            int p = start + Varint.size(code);
            long len = Varint.decode(owned, p, owned.length);
            return new Multihash(code, owned, start, p + Varint.size(len));
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
        return Arrays.copyOfRange(data, digestAt, data.length);
    }

    public int digestLength() {
        return data.length - digestAt;
    }

    /**
     * The digest's bytes from {@code from} to at most eight further, big-endian, without a copy of
     * the digest: {@code digest()[from..from+8)} as a long, or, for fewer than eight to the end,
     * those bytes as an unsigned number (so a table keyed by them need not copy each block's).
     *
     * @throws IndexOutOfBoundsException if {@code from} is not within the digest
     */
    public long digestWord(int from) {
        return wordAt(data, digestAt + java.util.Objects.checkIndex(from, data.length - digestAt), data.length);
    }

    /**
     * The eight bytes of {@code src} from {@code at} as a big-endian long, or the bytes left
     * before {@code end} if fewer (in its low bits): {@link #digestWord} over any array holding a
     * digest, such as a block's link.
     */
    public static long wordAt(byte[] src, int at, int end) {
        if (end - at >= 8) {
            return (long) Words.BIG_ENDIAN_LONG.get(src, at);
        }
        long w = 0;
        for (int j = at; j < end; j++) {
            w = (w << 8) | (src[j] & 0xff);
        }
        return w;
    }

    /** Made on the first {@link #digestWord}, not by every command that reads a CID. */
    private static final class Words {
        static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    }

    /** The encoded multihash. */
    public byte[] toBytes() {
        return Arrays.copyOfRange(data, start, data.length);
    }

    public int encodedLength() {
        return data.length - start;
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
        int n = digestLength();
        if (isIdentity() ? computed.length != n : computed.length < n) {
            return false;
        }
        return Arrays.equals(computed, 0, n, data, digestAt, data.length);
    }

    /** Writes the encoded multihash into {@code dst} at {@code pos}. */
    void copyTo(byte[] dst, int pos) {
        System.arraycopy(data, start, dst, pos, encodedLength());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Multihash)) {
            return false;
        }
        Multihash m = (Multihash) o;
        return Arrays.equals(data, start, data.length, m.data, m.start, m.data.length);
    }

    /** As {@link Arrays#hashCode(byte[])} of {@link #toBytes()}. */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 1;
            for (int i = start; i < data.length; i++) {
                h = 31 * h + data[i];
            }
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return name() + ":" + Multibase.hex(digest());
    }
}
