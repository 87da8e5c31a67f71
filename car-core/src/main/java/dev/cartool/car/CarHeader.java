package dev.cartool.car;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.io.Text;

/**
 * The DAG-CBOR header of a CARv1: {@code {"roots": [CID...], "version": 1}}. A CARv2 file
 * begins with the same structure holding only {@code "version": 2} (the pragma).
 */
public final class CarHeader {
    /** DAG-CBOR's tag for a CID. */
    static final int CID_TAG = 42;
    static final CBORFactory CBOR = CBORFactory.builder().build();

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
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartObject(2);
            g.writeFieldName("roots");
            g.writeStartArray(null, roots.size());
            for (Cid root : roots) {
                byte[] cid = root.toBytes();
                byte[] tagged = new byte[cid.length + 1]; // 0x00: the identity multibase prefix
                System.arraycopy(cid, 0, tagged, 1, cid.length);
                g.writeTag(CID_TAG);
                g.writeBinary(tagged);
            }
            g.writeEndArray();
            g.writeFieldName("version");
            g.writeNumber(version);
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Decodes a header's DAG-CBOR bytes.
     *
     * @param offset where those bytes start in the file, for messages
     */
    public static CarHeader decode(byte[] bytes, long offset) throws MalformedCarException {
        Long version = null;
        List<Cid> roots = null;
        try {
            dev.cartool.ipld.DagCbor.check(bytes, 0, bytes.length, new ArrayList<>());
        } catch (dev.cartool.ipld.DagCbor.DagCborException e) {
            throw bad(offset, "invalid DAG-CBOR: " + e.getMessage());
        }
        try (CBORParser p = (CBORParser) CBOR.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(offset, "not a map");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if ("version".equals(key)) {
                    if (version != null) {
                        throw bad(offset, "duplicate \"version\"");
                    }
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            || p.getLongValue() < 0) {
                        throw bad(offset, "\"version\" is not an unsigned integer");
                    }
                    version = p.getLongValue();
                } else if ("roots".equals(key)) {
                    if (roots != null) {
                        throw bad(offset, "duplicate \"roots\"");
                    }
                    if (v != JsonToken.START_ARRAY) {
                        throw bad(offset, "\"roots\" is not a list");
                    }
                    roots = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        roots.add(readCid(p, offset));
                    }
                } else {
                    throw bad(offset, "unexpected key \"" + key + "\"");
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw bad(offset, "map is not closed");
            }
            if (p.nextToken() != null) {
                throw bad(offset, "trailing bytes after the header map");
            }
        } catch (StreamConstraintsException e) {
            throw bad(offset, e.getOriginalMessage());
        } catch (MalformedCarException e) {
            throw e;
        } catch (IOException e) {
            throw bad(offset, "invalid DAG-CBOR: " + firstLine(e.getMessage()));
        }
        if (version == null) {
            throw bad(offset, "no \"version\"");
        }
        if (version == 1 && roots == null) {
            throw bad(offset, "no \"roots\"");
        }
        return new CarHeader(version, roots == null ? List.of() : roots);
    }

    static Cid readCid(CBORParser p, long offset) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT || p.getCurrentTag() != CID_TAG) {
            throw bad(offset, "a root is not a CID (tag 42 byte string)");
        }
        byte[] b = p.getBinaryValue();
        if (b.length < 2 || b[0] != 0) {
            throw bad(offset, "a root CID lacks its 0x00 multibase prefix");
        }
        try {
            return Cid.decode(java.util.Arrays.copyOfRange(b, 1, b.length));
        } catch (CidFormatException e) {
            throw bad(offset, "a root is not a valid CID: " + e.getMessage());
        }
    }

    private static MalformedCarException bad(long offset, String what) {
        return new MalformedCarException(offset, "header at offset " + Text.n(offset)
                + ": " + what);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
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
