package dev.cartool.dagpb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;

/**
 * The DAG-PB codec (0x70), strict as the spec asks: PBNode is {@code Links = 2} (repeated, all
 * before Data) and {@code Data = 1}; PBLink is {@code Hash = 1} (required), {@code Name = 2},
 * {@code Tsize = 3}, in that order. Unknown fields, duplicates, wrong wire types, fields out of
 * order and a link without Hash are all errors.
 */
public final class DagPb {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_BYTES = 2;
    /** Names compare as UTF-8 bytes, the order DAG-PB encoders sort links in. */
    private static final Comparator<PbLink> BY_NAME = (a, b) -> Arrays.compareUnsigned(
            nameBytes(a), nameBytes(b));

    private DagPb() {
    }

    /** Decodes a whole block. */
    public static PbNode decode(byte[] block) throws DagPbException {
        return decode(block, 0, block.length);
    }

    public static PbNode decode(byte[] src, int off, int len) throws DagPbException {
        NodeBuilder node = new NodeBuilder();
        scan(src, off, len, node);
        return new PbNode(node.links, node.data);
    }

    /** A link's Hash as {@link #linkHashes} finds it: a checked CID at {@code src[at, at + length)}. */
    @FunctionalInterface
    public interface HashSink {
        void hash(int at, int length);
    }

    /**
     * Checks the node in {@code src[off, off + len)} exactly as {@link #decode} does (throwing
     * what it would), handing each link's Hash to {@code sink} in order and making no object for
     * the links, their names or the data: what a traversal that only follows links needs (verify
     * of 10 million blocks decoded each parent's 174 links into objects to read their CIDs).
     */
    public static void linkHashes(byte[] src, int off, int len, HashSink sink) throws DagPbException {
        scan(src, off, len, new Fields() {
            @Override
            void link(byte[] b, int hashAt, int hashLength, int nameAt, int nameLength, long tsize) {
                sink.hash(hashAt, hashLength);
            }
        });
    }

    /** What a scan hands on, each field checked: positions in the scanned array. */
    private abstract static class Fields {
        /** A link: its name's length is -1 if it has none, its Tsize -1 if it has none. */
        abstract void link(byte[] src, int hashAt, int hashLength, int nameAt, int nameLength, long tsize)
                throws DagPbException;

        void data(byte[] src, int at, int length) {
        }
    }

    /** {@link #decode}'s fields: the node's objects. */
    private static final class NodeBuilder extends Fields {
        final List<PbLink> links = new ArrayList<>();
        byte[] data;

        @Override
        void link(byte[] src, int hashAt, int hashLength, int nameAt, int nameLength, long tsize) {
            Cid hash;
            try {
                hash = Cid.decode(src, hashAt, hashAt + hashLength);
            } catch (CidFormatException e) {
                throw new IllegalStateException("a checked CID did not decode", e);
            }
            String name = nameLength < 0 ? null : nameString(src, nameAt, nameLength);
            links.add(new PbLink(hash, name, tsize < 0 ? null : tsize));
        }

        @Override
        void data(byte[] src, int at, int length) {
            data = Arrays.copyOfRange(src, at, at + length);
        }
    }

    /** The one reading of the protobuf: every check of the format is here. */
    private static void scan(byte[] src, int off, int len, Fields to) throws DagPbException {
        Cursor c = new Cursor(src, off, off + len);
        Cursor link = new Cursor(src, off, off); // each link's bytes in turn
        boolean data = false;
        while (c.more()) {
            long key = c.varint("PBNode field key");
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (key >>> 3 > Integer.MAX_VALUE) {
                throw c.error("unknown PBNode field " + (key >>> 3));
            }
            if (field == 2) {
                expectWire(c, "PBNode.Links", wire, WIRE_BYTES);
                if (data) {
                    throw c.error("PBNode.Links after PBNode.Data");
                }
                int n = c.length("PBNode.Links");
                link.reset(c.pos, c.pos + n);
                c.pos += n;
                scanLink(link, to);
            } else if (field == 1) {
                expectWire(c, "PBNode.Data", wire, WIRE_BYTES);
                if (data) {
                    throw c.error("duplicate PBNode.Data");
                }
                data = true;
                int n = c.length("PBNode.Data");
                to.data(src, c.pos, n);
                c.pos += n;
            } else {
                throw c.error("unknown PBNode field " + field);
            }
        }
    }

    private static void scanLink(Cursor c, Fields to) throws DagPbException {
        int hashAt = -1;
        int hashLength = 0;
        int nameAt = 0;
        int nameLength = -1;
        long tsize = -1;
        int last = 0;
        while (c.more()) {
            long key = c.varint("PBLink field key");
            long field = key >>> 3;
            int wire = (int) (key & 7);
            if (field < 1 || field > 3) {
                throw c.error("unknown PBLink field " + field);
            }
            if (field <= last) {
                throw c.error(field == last ? "duplicate PBLink field " + field
                        : "PBLink fields out of order (" + field + " after " + last + ")");
            }
            last = (int) field;
            if (field == 1) {
                expectWire(c, "PBLink.Hash", wire, WIRE_BYTES);
                int len = c.length("PBLink.Hash");
                try {
                    int used = Cid.measure(c.src, c.pos, c.pos + len);
                    if (used != len) {
                        throw new CidFormatException("CID followed by " + (len - used) + " unexpected byte(s)");
                    }
                } catch (CidFormatException e) {
                    throw c.error("PBLink.Hash is not a CID: " + e.getMessage());
                }
                hashAt = c.pos;
                hashLength = len;
                c.pos += len;
            } else if (field == 2) {
                expectWire(c, "PBLink.Name", wire, WIRE_BYTES);
                int len = c.length("PBLink.Name");
                checkName(c, len);
                nameAt = c.pos;
                nameLength = len;
                c.pos += len;
            } else {
                expectWire(c, "PBLink.Tsize", wire, WIRE_VARINT);
                tsize = c.varint("PBLink.Tsize");
            }
        }
        if (hashAt < 0) {
            throw c.error("PBLink has no Hash");
        }
        to.link(c.src, hashAt, hashLength, nameAt, nameLength, tsize);
    }

    private static void expectWire(Cursor c, String field, int wire, int expected) throws DagPbException {
        if (wire != expected) {
            throw c.error(field + " has wire type " + wire + ", expected " + expected);
        }
    }

    /**
     * A link name must be valid UTF-8. Names are nearly always ASCII, checked without a decoder
     * (a strict decoder per link was half the gateway's time resolving paths).
     */
    private static void checkName(Cursor c, int len) throws DagPbException {
        if (!ascii(c.src, c.pos, len)) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(c.src, c.pos, len));
            } catch (CharacterCodingException e) {
                throw c.error("PBLink.Name is not valid UTF-8");
            }
        }
    }

    private static boolean ascii(byte[] src, int at, int len) {
        for (int i = at; i < at + len; i++) {
            if (src[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** A name {@link #checkName} passed, as a string. */
    private static String nameString(byte[] src, int at, int len) {
        if (len == 0) {
            return ""; // the links of a file's nodes
        }
        return new String(src, at, len, ascii(src, at, len) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** The canonical encoding: links sorted by name bytes (stable), then data. */
    public static byte[] encode(PbNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<PbLink> links = new ArrayList<>(node.links());
        links.sort(BY_NAME);
        for (PbLink link : links) {
            byte[] l = encodeLink(link);
            putVarint(out, (2 << 3) | WIRE_BYTES);
            putVarint(out, l.length);
            out.writeBytes(l);
        }
        byte[] data = node.data();
        if (data != null) {
            putVarint(out, (1 << 3) | WIRE_BYTES);
            putVarint(out, data.length);
            out.writeBytes(data);
        }
        return out.toByteArray();
    }

    private static byte[] encodeLink(PbLink link) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        byte[] cid = link.hash().toBytes();
        putVarint(out, (1 << 3) | WIRE_BYTES);
        putVarint(out, cid.length);
        out.writeBytes(cid);
        if (link.name() != null) {
            byte[] name = link.name().getBytes(StandardCharsets.UTF_8);
            putVarint(out, (2 << 3) | WIRE_BYTES);
            putVarint(out, name.length);
            out.writeBytes(name);
        }
        if (link.tsize() != null) {
            putVarint(out, (3 << 3) | WIRE_VARINT);
            putVarint(out, link.tsize());
        }
        return out.toByteArray();
    }

    private static byte[] nameBytes(PbLink l) {
        return l.name() == null ? new byte[0] : l.name().getBytes(StandardCharsets.UTF_8);
    }

    private static void putVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** A bounded read position over the protobuf bytes. */
    private static final class Cursor {
        final byte[] src;
        int start;
        int end;
        int pos;

        Cursor(byte[] src, int start, int end) {
            this.src = src;
            this.start = start;
            this.end = end;
            this.pos = start;
        }

        boolean more() {
            return pos < end;
        }

        /** The same array, now {@code [from, to)}. */
        void reset(int from, int to) {
            start = from;
            end = to;
            pos = from;
        }

        /** A protobuf varint: at most 10 bytes, and at most 63 bits here. */
        long varint(String what) throws DagPbException {
            return varint(what, "");
        }

        /**
         * A varint named in errors as {@code what + suffix}, joined only for an error: the
         * joining was a string built for every length read (three a link), in the interpreter
         * for the few parents a traversal meets.
         */
        private long varint(String what, String suffix) throws DagPbException {
            long v = 0;
            for (int i = 0; i < 10; i++) {
                if (pos >= end) {
                    throw error(what + suffix + ": truncated varint");
                }
                int b = src[pos++] & 0xFF;
                if (i == 9 && b > 0) {
                    throw error(what + suffix + ": varint exceeds 63 bits");
                }
                v |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    if (v < 0) {
                        throw error(what + suffix + ": varint exceeds 63 bits");
                    }
                    return v;
                }
            }
            throw error(what + suffix + ": varint longer than 10 bytes");
        }

        /** A length prefix, checked against the bytes that remain. */
        int length(String what) throws DagPbException {
            long n = varint(what, " length");
            if (n > end - pos) {
                throw error(what + ": length " + n + " exceeds the " + (end - pos) + " byte(s) left");
            }
            return (int) n;
        }

        DagPbException error(String message) {
            return new DagPbException(message + " (at byte " + (pos - start) + ")");
        }
    }
}
