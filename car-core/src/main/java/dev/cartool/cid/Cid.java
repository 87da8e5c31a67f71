package dev.cartool.cid;

import java.util.Arrays;
import java.util.Objects;

/**
 * A content identifier, version 0 or 1. Immutable, with exact round trips:
 * {@code Cid.parse(c.toString())}, {@code Cid.decode(c.toBytes())}.
 *
 * <p>CIDv0 is the bare sha2-256 multihash of a dag-pb block, written in base58btc without a
 * multibase prefix ({@code Qm...}). CIDv1 is {@code varint(1) varint(codec) multihash}, written
 * with a multibase prefix, base32 ({@code b...}) by default.
 */
public final class Cid implements Comparable<Cid> {
    private final int version;
    private final long codec;
    private final Multihash multihash;
    private final byte[] bytes;
    /** The default string form, made on first use. */
    private String text;

    private Cid(int version, long codec, Multihash multihash, byte[] bytes) {
        this.version = version;
        this.codec = codec;
        this.multihash = multihash;
        this.bytes = bytes;
    }

    /** A CIDv1. */
    public static Cid v1(long codec, Multihash multihash) {
        Objects.requireNonNull(multihash, "multihash");
        byte[] bytes = new byte[1 + Varint.size(codec) + multihash.encodedLength()];
        int pos = Varint.put(1, bytes, 0);
        pos = Varint.put(codec, bytes, pos);
        multihash.copyTo(bytes, pos);
        return new Cid(1, codec, multihash, bytes);
    }

    /** A CIDv0: only a 32-byte sha2-256 multihash of a dag-pb block can be one. */
    public static Cid v0(Multihash multihash) {
        if (multihash.code() != Multicodec.SHA2_256 || multihash.digestLength() != 32) {
            throw new IllegalArgumentException("a CIDv0 must be a 32-byte sha2-256 multihash, not "
                    + multihash.name() + " of " + multihash.digestLength() + " bytes");
        }
        return new Cid(0, Multicodec.DAG_PB, multihash, multihash.toBytes());
    }

    /** The CIDv1 of {@code data} under {@code codec}, hashed with {@code hashCode}. */
    public static Cid of(long codec, long hashCode, byte[] data) {
        return v1(codec, Multihash.digest(hashCode, data));
    }

    /** Parses a CID string: a {@code Qm...} CIDv0 or any supported multibase CIDv1. */
    public static Cid parse(String s) throws CidFormatException {
        Objects.requireNonNull(s, "s");
        int slot = s.hashCode() & (PARSED.length - 1);
        Parsed seen = PARSED[slot];
        if (seen != null && seen.text.equals(s)) {
            return seen.cid;
        }
        Cid cid = parseAfresh(s);
        PARSED[slot] = new Parsed(s, cid);
        return cid;
    }

    /** A string and the CID it parsed to. */
    private record Parsed(String text, Cid cid) {
    }

    /**
     * Strings lately parsed and their CIDs, by a hash of the string: a gateway parses the same
     * root CID in every request of a download or a listing, and writes it back into the
     * response's headers (the same object keeps its string). Shared by every thread without a
     * lock: an entry is immutable, and a slot read while another thread replaces it holds one
     * whole entry or the other, each checked against the string given.
     */
    private static final Parsed[] PARSED = new Parsed[256];

    private static Cid parseAfresh(String s) throws CidFormatException {
        if (s.isEmpty()) {
            throw new CidFormatException("empty CID");
        }
        if (isV0String(s)) {
            return decode(Multibase.BASE58BTC.decodeBody(s));
        }
        Multibase base;
        try {
            base = Multibase.of(s);
        } catch (CidFormatException e) {
            throw new CidFormatException("not a CID: '" + abbreviate(s) + "': " + e.getMessage());
        }
        byte[] raw;
        try {
            raw = base.decodeBody(s.substring(1));
        } catch (CidFormatException e) {
            throw new CidFormatException("not a CID: '" + abbreviate(s) + "': " + e.getMessage());
        }
        Cid cid = decode(raw);
        if (cid.version == 0) {
            throw new CidFormatException("not a CID: '" + abbreviate(s)
                    + "': a CIDv0 is written in base58btc without a multibase prefix");
        }
        return cid;
    }

    /** The multibase a CID string is written in ({@code base58btc} for a {@code Qm...} CIDv0). */
    public static Multibase multibaseOf(String s) throws CidFormatException {
        return isV0String(s) ? Multibase.BASE58BTC : Multibase.of(s);
    }

    private static boolean isV0String(String s) {
        return s.length() == 46 && s.startsWith("Qm");
    }

    /** Decodes a binary CID that fills {@code bytes} exactly. */
    public static Cid decode(byte[] bytes) throws CidFormatException {
        Cid cid = decode(bytes, 0, bytes.length);
        if (cid.bytes.length != bytes.length) {
            throw new CidFormatException("CID followed by " + (bytes.length - cid.bytes.length)
                    + " unexpected byte(s)");
        }
        return cid;
    }

    /**
     * Decodes the binary CID at the start of {@code src[pos, end)}; bytes after it are left for
     * the caller ({@link #encodedLength()} says how many were used).
     */
    public static Cid decode(byte[] src, int pos, int end) throws CidFormatException {
        int mh = multihashAt(src, pos, end);
        // One array: the CID's binary form, which its multihash shares.
        byte[] bytes = Arrays.copyOfRange(src, pos, mh + Multihash.measure(src, mh, end));
        if (mh == pos) {
            return new Cid(0, Multicodec.DAG_PB, Multihash.within(bytes, 0), bytes);
        }
        int codecAt = Varint.size(1); // the version, checked by multihashAt
        return new Cid(1, Varint.decode(bytes, codecAt, bytes.length), Multihash.within(bytes, mh - pos), bytes);
    }

    /**
     * The length of the binary CID at the start of {@code src[pos, end)}, checked as
     * {@link #decode(byte[], int, int)} checks it, without making it.
     */
    public static int measure(byte[] src, int pos, int end) throws CidFormatException {
        int mh = multihashAt(src, pos, end);
        return mh - pos + Multihash.measure(src, mh, end);
    }

    /**
     * Where the multihash of the binary CID at the start of {@code src[pos, end)} begins: at
     * {@code pos} for a CIDv0 (which must have its 34 bytes), after the version and codec for a
     * CIDv1. The multihash itself is not checked here.
     */
    public static int multihashAt(byte[] src, int pos, int end) throws CidFormatException {
        if (end - pos >= 2 && src[pos] == 0x12 && src[pos + 1] == 0x20) {
            if (end - pos < 34) {
                throw new CidFormatException("CIDv0 truncated: " + (end - pos) + " of 34 bytes");
            }
            return pos;
        }
        int p = pos;
        try {
            long version = Varint.decode(src, p, end);
            p += Varint.size(version);
            if (version != 1) {
                throw new CidFormatException("unsupported CID version " + version);
            }
            p += Varint.size(Varint.decode(src, p, end));
        } catch (Varint.VarintException e) {
            throw new CidFormatException("bad CID: " + e.getMessage(), e);
        }
        return p;
    }

    public int version() {
        return version;
    }

    /** The content codec (dag-pb for every CIDv0). */
    public long codec() {
        return codec;
    }

    public String codecName() {
        return Multicodec.name(codec);
    }

    public Multihash multihash() {
        return multihash;
    }

    /** The binary form. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Length of the binary form. */
    public int encodedLength() {
        return bytes.length;
    }

    /** Whether the block is carried inside the CID itself (identity multihash). */
    public boolean isIdentity() {
        return multihash.isIdentity();
    }

    /** The same content as a CIDv1 (itself if already one). */
    public Cid toV1() {
        return version == 1 ? this : v1(codec, multihash);
    }

    /** The default string: base58btc for CIDv0, base32 for CIDv1. */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            // Kept: a server writes the same CIDs into every response's headers. A race only
            // computes the same string twice.
            t = version == 0 ? Multibase.BASE58BTC.encodeBody(bytes) : Multibase.BASE32.encode(bytes);
            text = t;
        }
        return t;
    }

    /**
     * The string in a given multibase. A CIDv0 has only its base58btc form; ask for
     * {@code toV1().toString(base)} to write it in another base.
     */
    public String toString(Multibase base) {
        if (version == 0) {
            if (base != Multibase.BASE58BTC) {
                throw new IllegalArgumentException("a CIDv0 can only be written in base58btc");
            }
            return toString();
        }
        return base.encode(bytes);
    }

    /** Writes the binary form into {@code dst} at {@code pos}. */
    public void copyTo(byte[] dst, int pos) {
        System.arraycopy(bytes, 0, dst, pos, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid && Arrays.equals(bytes, ((Cid) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Orders by binary form, unsigned bytewise. */
    @Override
    public int compareTo(Cid o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
