package dev.cartool.car;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.ipld.DagCbor;
import dev.cartool.io.Text;

/**
 * The DAG-CBOR header of a CARv1: {@code {"roots": [CID...], "version": 1}}. A CARv2 file
 * begins with the same structure holding only {@code "version": 2} (the pragma).
 */
public final class CarHeader {
    /** DAG-CBOR's tag for a CID. */
    static final int CID_TAG = 42;

    private final long version;
    private final List<Cid> roots;

    private CarHeader(long version, List<Cid> roots) {
        this.version = version;
        this.roots = List.copyOf(roots);
    }

    /** A version 1 header with these roots. */
    public static CarHeader v1(List<Cid> roots) {
        return new CarHeader(1, roots);
    }

    public long version() {
        return version;
    }

    public List<Cid> roots() {
        return roots;
    }

    /** The canonical DAG-CBOR encoding (map keys in length-then-bytes order: roots, version). */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 40 * roots.size());
        DagCbor.writeHead(out, 5, 2);
        text(out, "roots");
        DagCbor.writeHead(out, 4, roots.size());
        for (Cid root : roots) {
            byte[] cid = root.toBytes();
            DagCbor.writeHead(out, 6, CID_TAG);
            DagCbor.writeHead(out, 2, cid.length + 1);
            out.write(0); // the identity multibase prefix
            out.write(cid, 0, cid.length);
        }
        text(out, "version");
        DagCbor.writeHead(out, 0, version);
        return out.toByteArray();
    }

    private static void text(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DagCbor.writeHead(out, 3, b.length);
        out.write(b, 0, b.length);
    }

    /**
     * Decodes a header's DAG-CBOR bytes: checked as strict DAG-CBOR first, then read as the one
     * map a CAR header is (a few lines of CBOR heads; no general parser is loaded for it).
     *
     * @param offset where those bytes start in the file, for messages
     */
    public static CarHeader decode(byte[] bytes, long offset) throws MalformedCarException {
        try {
            DagCbor.check(bytes, 0, bytes.length, new ArrayList<>());
        } catch (DagCbor.DagCborException e) {
            throw bad(offset, "invalid DAG-CBOR: " + e.getMessage());
        }
        Heads r = new Heads(bytes, offset);
        Long version = null;
        List<Cid> roots = null;
        if (r.next() != 5) {
            throw bad(offset, "not a map");
        }
        long entries = r.arg;
        for (long i = 0; i < entries; i++) {
            if (r.next() != 3) {
                throw bad(offset, "a map key is not text");
            }
            String key = new String(r.bytes((int) r.arg), java.nio.charset.StandardCharsets.UTF_8);
            int major = r.next();
            if ("version".equals(key)) {
                if (version != null) {
                    throw bad(offset, "duplicate \"version\"");
                }
                if (major != 0 || r.arg < 0) {
                    throw bad(offset, "\"version\" is not an unsigned integer");
                }
                version = r.arg;
            } else if ("roots".equals(key)) {
                if (roots != null) {
                    throw bad(offset, "duplicate \"roots\"");
                }
                if (major != 4) {
                    throw bad(offset, "\"roots\" is not a list");
                }
                long n = r.arg;
                roots = new ArrayList<>((int) Math.min(n, 16));
                for (long k = 0; k < n; k++) {
                    if (r.next() != 6 || r.arg != CID_TAG || r.next() != 2) {
                        throw bad(offset, "a root is not a CID (tag 42 byte string)");
                    }
                    roots.add(readCid(r.bytes((int) r.arg), offset));
                }
            } else {
                throw bad(offset, "unexpected key \"" + key + "\"");
            }
        }
        if (r.pos != bytes.length) {
            throw bad(offset, "trailing bytes after the header map");
        }
        if (version == null) {
            throw bad(offset, "no \"version\"");
        }
        if (version == 1 && roots == null) {
            throw bad(offset, "no \"roots\"");
        }
        return new CarHeader(version, roots == null ? List.of() : roots);
    }

    private static Cid readCid(byte[] b, long offset) throws MalformedCarException {
        if (b.length < 2 || b[0] != 0) {
            throw bad(offset, "a root CID lacks its 0x00 multibase prefix");
        }
        try {
            return Cid.decode(java.util.Arrays.copyOfRange(b, 1, b.length));
        } catch (CidFormatException e) {
            throw bad(offset, "a root is not a valid CID: " + e.getMessage());
        }
    }

    /** CBOR heads of bytes already checked as DAG-CBOR (definite lengths, shortest forms, no floats in the way). */
    private static final class Heads {
        private final byte[] b;
        private final long offset;
        int pos;
        /** The argument of the last head: a value, a length or a tag (unsigned; negative past 2^63). */
        long arg;

        Heads(byte[] b, long offset) {
            this.b = b;
            this.offset = offset;
        }

        /** Reads a head; returns its major type. */
        int next() throws MalformedCarException {
            int ib = u8();
            int info = ib & 0x1f;
            if (info < 24) {
                arg = info;
            } else if (info <= 27) {
                int n = 1 << (info - 24);
                long v = 0;
                for (int i = 0; i < n; i++) {
                    v = (v << 8) | u8();
                }
                arg = v;
            } else {
                throw bad(offset, "invalid DAG-CBOR: indefinite or reserved length");
            }
            return ib >>> 5;
        }

        byte[] bytes(int n) throws MalformedCarException {
            if (n < 0 || n > b.length - pos) {
                throw bad(offset, "invalid DAG-CBOR: a string runs past the header");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        private int u8() throws MalformedCarException {
            if (pos >= b.length) {
                throw bad(offset, "invalid DAG-CBOR: the header ends early");
            }
            return b[pos++] & 0xff;
        }
    }

    private static MalformedCarException bad(long offset, String what) {
        return new MalformedCarException(offset, "header at offset " + Text.n(offset)
                + ": " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CarHeader && ((CarHeader) o).version == version
                && ((CarHeader) o).roots.equals(roots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, roots);
    }

    @Override
    public String toString() {
        return "CarHeader[version=" + version + ", roots=" + roots + "]";
    }
}
