package dev.cartool.ipld;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;

/**
 * A strict DAG-CBOR checker: one pass over the bytes that accepts only what the DAG-CBOR spec
 * allows and collects every CID (tag 42) in document order. Refused: indefinite lengths,
 * integers and lengths not in their shortest form, map keys that are not text or not in
 * length-then-bytewise order (which also rules out duplicates), tags other than 42, floats
 * other than 64-bit and NaN or infinities, simple values other than false/true/null, and
 * anything after the first item. Text that is not valid UTF-8 is accepted, as go-ipld-prime
 * (which wrote go-car's fixtures and Filecoin's chain) accepts it. Every length is checked against the bytes left
 * before anything is allocated for it, and nesting is bounded.
 */
public final class DagCbor {
    /** Nesting deeper than this is refused (the JS and Go decoders stop far earlier). */
    public static final int MAX_DEPTH = 512;
    private static final int CID_TAG = 42;

    private final byte[] b;
    private final int end;
    private int pos;
    private final List<Cid> cids;

    private DagCbor(byte[] bytes, int off, int len, List<Cid> cids) {
        this.b = bytes;
        this.pos = off;
        this.end = off + len;
        this.cids = cids;
    }

    /** Bytes that are not strict DAG-CBOR; the message names the byte offset in the block. */
    public static final class DagCborException extends dev.cartool.error.CarException {
        private static final long serialVersionUID = 1L;

        DagCborException(int at, String message) {
            super(-1, "byte " + at + ": " + message, dev.cartool.error.Kind.MALFORMED_BLOCK);
        }
    }

    /**
     * Checks {@code bytes} and adds the CIDs it holds to {@code cids}, in document order.
     *
     * @throws DagCborException at the first departure from strict DAG-CBOR
     */
    public static void check(byte[] bytes, int off, int len, List<Cid> cids) throws DagCborException {
        DagCbor d = new DagCbor(bytes, off, len, cids);
        if (len == 0) {
            throw new DagCborException(0, "empty block");
        }
        d.item(0);
        if (d.pos != d.end) {
            throw d.bad(d.pos, "trailing data after the first DAG-CBOR item");
        }
    }

    /**
     * Where a path leads through one DAG-CBOR block: map keys and list indexes are followed
     * until a link (a CID, tag 42) is met, the segments run out, or a segment names nothing.
     *
     * @param consumed the segments used inside this block
     * @param link the CID the path reached (the rest of the path goes on in that block), or null
     * @param found false when segment {@code consumed} names nothing here
     */
    public record Step(int consumed, Cid link, boolean found) {
        /** Whether the path ends inside this block, at a value that is not a link. */
        public boolean endsInside(int segments) {
            return found && link == null && consumed == segments && consumed > 0;
        }
    }

    /**
     * Follows {@code segments} through a DAG-CBOR block (checked strictly first).
     *
     * @throws DagCborException if the block is not strict DAG-CBOR
     */
    public static Step follow(byte[] bytes, List<String> segments) throws DagCborException {
        check(bytes, 0, bytes.length, new java.util.ArrayList<>());
        DagCbor d = new DagCbor(bytes, 0, bytes.length, new java.util.ArrayList<>());
        int consumed = 0;
        while (true) {
            int start = d.pos;
            int ib = bytes[start] & 0xff;
            int major = ib >>> 5;
            if (major == 6) { // a link: the path goes on in the block it names
                d.pos++;
                d.argument(start, ib & 0x1f);
                List<Cid> one = new java.util.ArrayList<>();
                DagCbor link = new DagCbor(bytes, start, d.end - start, one);
                link.item(0);
                return new Step(consumed, one.get(0), true);
            }
            if (consumed == segments.size()) {
                return new Step(consumed, null, true);
            }
            String seg = segments.get(consumed);
            d.pos++;
            if (major == 5) {
                long count = d.argument(start, ib & 0x1f);
                boolean hit = false;
                for (long i = 0; i < count && !hit; i++) {
                    int keyAt = d.pos;
                    int klen = (int) d.argument(keyAt, d.u8() & 0x1f);
                    String key = new String(bytes, d.pos, klen, StandardCharsets.UTF_8);
                    d.pos += klen;
                    if (key.equals(seg)) {
                        hit = true;
                    } else {
                        d.item(1);
                    }
                }
                if (!hit) {
                    return new Step(consumed, null, false);
                }
            } else if (major == 4) {
                long count = d.argument(start, ib & 0x1f);
                long index;
                try {
                    index = Long.parseLong(seg);
                } catch (NumberFormatException e) {
                    return new Step(consumed, null, false);
                }
                if (index < 0 || index >= count || !seg.equals(Long.toString(index))) {
                    return new Step(consumed, null, false);
                }
                for (long i = 0; i < index; i++) {
                    d.item(1);
                }
            } else {
                return new Step(consumed, null, false); // a scalar has nothing below it
            }
            consumed++;
        }
    }

    private DagCborException bad(int at, String message) {
        return new DagCborException(at, message);
    }

    private int u8() throws DagCborException {
        if (pos >= end) {
            throw bad(pos, "data ends inside an item");
        }
        return b[pos++] & 0xff;
    }

    /** The argument of an initial byte, shortest form required; -1 never (indefinite refused). */
    private long argument(int start, int info) throws DagCborException {
        if (info < 24) {
            return info;
        }
        int n;
        switch (info) {
            case 24: n = 1; break;
            case 25: n = 2; break;
            case 26: n = 4; break;
            case 27: n = 8; break;
            case 31: throw bad(start, "indefinite length (DAG-CBOR requires definite lengths)");
            default: throw bad(start, "reserved additional information " + info);
        }
        if (end - pos < n) {
            throw bad(start, "data ends inside an item's argument");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[pos++] & 0xff);
        }
        long min = n == 1 ? 24 : n == 2 ? 0x100 : n == 4 ? 0x10000 : 0x100000000L;
        if (Long.compareUnsigned(v, min) < 0) {
            throw bad(start, "integer or length " + Long.toUnsignedString(v) + " not in its shortest form");
        }
        return v;
    }

    /** A length that must fit in the bytes left (each counted unit takes at least one byte). */
    private int length(int start, long v) throws DagCborException {
        if (v < 0 || v > end - pos) {
            throw bad(start, "length " + Long.toUnsignedString(v) + " exceeds the " + (end - pos) + " bytes left");
        }
        return (int) v;
    }

    private void item(int depth) throws DagCborException {
        if (depth > MAX_DEPTH) {
            throw bad(pos, "nested deeper than " + MAX_DEPTH + " levels");
        }
        int start = pos;
        int ib = u8();
        int major = ib >>> 5;
        int info = ib & 0x1f;
        switch (major) {
            case 0:
            case 1:
                argument(start, info);
                return;
            case 2: {
                int n = length(start, argument(start, info)); // not 'pos += ...': pos moves while reading
                pos += n;
                return;
            }
            case 3: {
                int n = length(start, argument(start, info));
                pos += n;
                return;
            }
            case 4: {
                int n = length(start, argument(start, info));
                for (int i = 0; i < n; i++) {
                    item(depth + 1);
                }
                return;
            }
            case 5: {
                long count = argument(start, info);
                if (count < 0 || count > (end - pos) / 2) {
                    throw bad(start, "map of " + Long.toUnsignedString(count) + " entries exceeds the bytes left");
                }
                int prevKey = -1;
                int prevLen = 0;
                for (long i = 0; i < count; i++) {
                    int keyAt = pos;
                    int kb = u8();
                    if (kb >>> 5 != 3) {
                        throw bad(keyAt, "map key is not a text string (DAG-CBOR keys are strings)");
                    }
                    int klen = length(keyAt, argument(keyAt, kb & 0x1f));
                    int kstart = pos;
                    pos += klen;
                    if (prevKey >= 0) {
                        int c = klen != prevLen ? Integer.compare(prevLen, klen)
                                : Arrays.compareUnsigned(b, prevKey, prevKey + prevLen, b, kstart, kstart + klen);
                        if (c == 0) {
                            throw bad(keyAt, "duplicate map key '" + new String(b, kstart, klen, StandardCharsets.UTF_8) + "'");
                        }
                        if (c > 0) {
                            throw bad(keyAt, "map keys out of order at '" + new String(b, kstart, klen, StandardCharsets.UTF_8)
                                    + "' (DAG-CBOR sorts by length, then bytes)");
                        }
                    }
                    prevKey = kstart;
                    prevLen = klen;
                    item(depth + 1);
                }
                return;
            }
            case 6: {
                long tag = argument(start, info);
                if (tag != CID_TAG) {
                    throw bad(start, "tag " + Long.toUnsignedString(tag) + " (DAG-CBOR allows only tag 42, a CID)");
                }
                int at = pos;
                int bb = u8();
                if (bb >>> 5 != 2) {
                    throw bad(at, "tag 42 on something other than a byte string");
                }
                int n = length(at, argument(at, bb & 0x1f));
                if (n < 2 || b[pos] != 0) {
                    throw bad(at, "a CID (tag 42) lacks its 0x00 prefix");
                }
                try {
                    cids.add(Cid.decode(Arrays.copyOfRange(b, pos + 1, pos + n)));
                } catch (CidFormatException e) {
                    throw bad(at, "a CID (tag 42) is invalid: " + e.getMessage());
                }
                pos += n;
                return;
            }
            default: // major 7
                simple(start, info);
        }
    }

    private void simple(int start, int info) throws DagCborException {
        switch (info) {
            case 20:
            case 21:
            case 22:
                return;
            case 23:
                throw bad(start, "undefined is not a DAG-CBOR value");
            case 25:
            case 26:
                throw bad(start, (info == 25 ? "16" : "32") + "-bit float (DAG-CBOR floats are 64-bit)");
            case 27: {
                if (end - pos < 8) {
                    throw bad(start, "data ends inside a float");
                }
                long bits = ByteBuffer.wrap(b, pos, 8).getLong();
                pos += 8;
                double d = Double.longBitsToDouble(bits);
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw bad(start, "NaN or infinity is not a DAG-CBOR value");
                }
                return;
            }
            case 31:
                throw bad(start, "a 'break' outside an indefinite-length item");
            default:
                throw bad(start, "simple value " + (info == 24 ? "(one-byte)" : info) + " is not a DAG-CBOR value");
        }
    }

    /**
     * Writes a CBOR head (major type and argument) in its shortest form, as DAG-CBOR requires:
     * the one encoder of heads for the data model and the CAR header.
     */
    public static void writeHead(java.io.ByteArrayOutputStream out, int major, long arg) {
        int m = major << 5;
        if (arg >= 0 && arg < 24) {
            out.write(m | (int) arg);
        } else if (arg >= 0 && arg < 0x100) {
            out.write(m | 24);
            out.write((int) arg);
        } else if (arg >= 0 && arg < 0x10000) {
            out.write(m | 25);
            out.write((int) (arg >>> 8));
            out.write((int) arg);
        } else if (arg >= 0 && arg < 0x100000000L) {
            out.write(m | 26);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (arg >>> s));
            }
        } else {
            out.write(m | 27);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (arg >>> s));
            }
        }
    }
}
