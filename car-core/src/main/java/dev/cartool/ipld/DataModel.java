package dev.cartool.ipld;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;

/**
 * The IPLD data model as plain Java values, and the codecs between it and bytes: DAG-CBOR (read
 * and written) and DAG-JSON (written), plus DAG-PB's logical form. Kinds: {@code null},
 * {@link Boolean}, {@link Long} or {@link BigInteger} (integers), {@link Double}, {@link String},
 * {@code byte[]}, {@link List}, {@link Map} with string keys (in the order read), and
 * {@link Cid} (a link). What the gateway converts with (a DAG-CBOR block as DAG-JSON, a DAG-PB
 * node as either).
 */
public final class DataModel {
    private DataModel() {
    }

    /**
     * The value a DAG-CBOR block holds (checked strictly first).
     *
     * @throws DagCbor.DagCborException if the block is not strict DAG-CBOR
     */
    public static Object fromDagCbor(byte[] bytes) throws DagCbor.DagCborException {
        DagCbor.check(bytes, 0, bytes.length, new ArrayList<>());
        int[] pos = {0};
        return read(bytes, pos);
    }

    private static long argument(byte[] b, int[] pos, int info) {
        if (info < 24) {
            return info;
        }
        int n = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : 8;
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[pos[0]++] & 0xff);
        }
        return v;
    }

    /** Reads one item of bytes already checked by {@link DagCbor#check}. */
    private static Object read(byte[] b, int[] pos) throws DagCbor.DagCborException {
        int ib = b[pos[0]++] & 0xff;
        int major = ib >>> 5;
        int info = ib & 0x1f;
        switch (major) {
            case 0: {
                long v = argument(b, pos, info);
                return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case 1: {
                long v = argument(b, pos, info);
                return v >= 0 ? (Object) (-1 - v) : new BigInteger(Long.toUnsignedString(v)).negate().subtract(BigInteger.ONE);
            }
            case 2: {
                int n = (int) argument(b, pos, info);
                byte[] out = Arrays.copyOfRange(b, pos[0], pos[0] + n);
                pos[0] += n;
                return out;
            }
            case 3: {
                int n = (int) argument(b, pos, info);
                String s = new String(b, pos[0], n, StandardCharsets.UTF_8);
                pos[0] += n;
                return s;
            }
            case 4: {
                int n = (int) argument(b, pos, info);
                List<Object> out = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    out.add(read(b, pos));
                }
                return out;
            }
            case 5: {
                int n = (int) argument(b, pos, info);
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    out.put((String) read(b, pos), read(b, pos));
                }
                return out;
            }
            case 6: {
                argument(b, pos, info); // 42, checked
                byte[] cid = (byte[]) read(b, pos);
                try {
                    return Cid.decode(Arrays.copyOfRange(cid, 1, cid.length));
                } catch (CidFormatException e) {
                    throw new DagCbor.DagCborException(pos[0], "a CID (tag 42) is invalid: " + e.getMessage());
                }
            }
            default:
                if (info == 20) {
                    return Boolean.FALSE;
                }
                if (info == 21) {
                    return Boolean.TRUE;
                }
                if (info == 22) {
                    return null;
                }
                return Double.longBitsToDouble(argument(b, pos, 27));
        }
    }

    /**
     * The value a DAG-JSON document holds: {@code {"/": "cid"}} is a link, {@code {"/": {"bytes":
     * "base64"}}} bytes, integers stay integers.
     *
     * @throws DagCbor.DagCborException (reused for every codec error here) if it is not DAG-JSON
     */
    public static Object fromDagJson(byte[] bytes) throws DagCbor.DagCborException {
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(bytes)) {
            p.nextToken();
            Object v = json(p, 0);
            if (p.nextToken() != null) {
                throw new DagCbor.DagCborException((int) p.currentLocation().getByteOffset(), "trailing data after the DAG-JSON value");
            }
            return v;
        } catch (java.io.IOException e) {
            if (e instanceof DagCbor.DagCborException) {
                throw (DagCbor.DagCborException) e;
            }
            throw new DagCbor.DagCborException(0, "not DAG-JSON: " + e.getMessage());
        }
    }

    private static Object json(com.fasterxml.jackson.core.JsonParser p, int depth) throws java.io.IOException {
        if (depth > DagCbor.MAX_DEPTH) {
            throw new DagCbor.DagCborException(0, "nested deeper than " + DagCbor.MAX_DEPTH + " levels");
        }
        switch (p.currentToken()) {
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT: {
                BigInteger n = p.getBigIntegerValue();
                return n.bitLength() < 64 ? (Object) n.longValue() : n;
            }
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case START_ARRAY: {
                List<Object> out = new ArrayList<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    out.add(json(p, depth + 1));
                }
                return out;
            }
            case START_OBJECT: {
                Map<String, Object> out = new LinkedHashMap<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    p.nextToken();
                    if (out.containsKey(key)) {
                        throw new DagCbor.DagCborException(0, "duplicate map key '" + key + "'");
                    }
                    out.put(key, json(p, depth + 1));
                }
                if (out.size() == 1 && out.containsKey("/")) {
                    Object inner = out.get("/");
                    if (inner instanceof String) {
                        try {
                            return Cid.parse((String) inner);
                        } catch (CidFormatException e) {
                            throw new DagCbor.DagCborException(0, "a link {\"/\": ...} holds no CID: " + e.getMessage());
                        }
                    }
                    if (inner instanceof Map && ((Map<?, ?>) inner).size() == 1
                            && ((Map<?, ?>) inner).get("bytes") instanceof String) {
                        try {
                            return Base64.getDecoder().decode((String) ((Map<?, ?>) inner).get("bytes"));
                        } catch (IllegalArgumentException e) {
                            throw new DagCbor.DagCborException(0, "bytes {\"/\": {\"bytes\": ...}} are not base64");
                        }
                    }
                }
                return out;
            }
            default:
                throw new DagCbor.DagCborException(0, "unexpected " + p.currentToken());
        }
    }

    /** DAG-PB's logical form: {@code {"Data": bytes?, "Links": [{"Hash", "Name"?, "Tsize"?}]}}. */
    public static Map<String, Object> ofDagPb(PbNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node.data() != null) {
            out.put("Data", node.data());
        }
        List<Object> links = new ArrayList<>();
        for (PbLink l : node.links()) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("Hash", l.hash());
            if (l.name() != null) {
                link.put("Name", l.name());
            }
            if (l.tsize() != null) {
                link.put("Tsize", l.tsize());
            }
            links.add(link);
        }
        out.put("Links", links);
        return out;
    }

    /** DAG-JSON: map keys sorted by their UTF-8 bytes, links as {"/": cid}, bytes as {"/": {"bytes": base64}}. */
    public static byte[] toDagJson(Object value) {
        StringBuilder sb = new StringBuilder();
        json(value, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void json(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Long || v instanceof BigInteger || v instanceof Integer) {
            sb.append(v);
        } else if (v instanceof Double) {
            double d = (Double) v;
            sb.append(d == Math.rint(d) && Math.abs(d) < 1e21 ? String.format(java.util.Locale.ROOT, "%.1f", d)
                    : Double.toString(d).replace("E", "e"));
        } else if (v instanceof String) {
            string((String) v, sb);
        } else if (v instanceof byte[]) {
            sb.append("{\"/\":{\"bytes\":\"").append(Base64.getEncoder().withoutPadding().encodeToString((byte[]) v))
                    .append("\"}}");
        } else if (v instanceof Cid) {
            sb.append("{\"/\":\"").append(v).append("\"}");
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<?>) v) {
                sb.append(first ? "" : ",");
                first = false;
                json(o, sb);
            }
            sb.append(']');
        } else {
            Map<byte[], Object> sorted = new TreeMap<>(Arrays::compareUnsigned);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                sorted.put(((String) e.getKey()).getBytes(StandardCharsets.UTF_8), e.getValue());
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<byte[], Object> e : sorted.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                string(new String(e.getKey(), StandardCharsets.UTF_8), sb);
                sb.append(':');
                json(e.getValue(), sb);
            }
            sb.append('}');
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        sb.append("\\u").append(Integer.toHexString(0x10000 | c).substring(1)); // as %04x
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /** DAG-CBOR: shortest integers and lengths, map keys sorted by length then bytes, links as tag 42. */
    public static byte[] toDagCbor(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cbor(value, out);
        return out.toByteArray();
    }

    private static void cbor(Object v, ByteArrayOutputStream out) {
        if (v == null) {
            out.write(0xf6);
        } else if (v instanceof Boolean) {
            out.write((Boolean) v ? 0xf5 : 0xf4);
        } else if (v instanceof Long || v instanceof Integer) {
            long n = ((Number) v).longValue();
            if (n >= 0) {
                DagCbor.writeHead(out, 0, n);
            } else {
                DagCbor.writeHead(out, 1, -1 - n);
            }
        } else if (v instanceof BigInteger) {
            BigInteger n = (BigInteger) v;
            if (n.signum() >= 0) {
                DagCbor.writeHead(out, 0, n.longValue());
            } else {
                DagCbor.writeHead(out, 1, n.negate().subtract(BigInteger.ONE).longValue());
            }
        } else if (v instanceof Double) {
            out.write(0xfb);
            long bits = Double.doubleToLongBits((Double) v);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (bits >>> s));
            }
        } else if (v instanceof String) {
            byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
            DagCbor.writeHead(out, 3, b.length);
            out.writeBytes(b);
        } else if (v instanceof byte[]) {
            DagCbor.writeHead(out, 2, ((byte[]) v).length);
            out.writeBytes((byte[]) v);
        } else if (v instanceof Cid) {
            byte[] c = ((Cid) v).toBytes();
            DagCbor.writeHead(out, 6, 42);
            DagCbor.writeHead(out, 2, c.length + 1);
            out.write(0);
            out.writeBytes(c);
        } else if (v instanceof List) {
            DagCbor.writeHead(out, 4, ((List<?>) v).size());
            for (Object o : (List<?>) v) {
                cbor(o, out);
            }
        } else {
            Map<byte[], Object> sorted = new TreeMap<>((a, b) -> a.length != b.length
                    ? Integer.compare(a.length, b.length) : Arrays.compareUnsigned(a, b));
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                sorted.put(((String) e.getKey()).getBytes(StandardCharsets.UTF_8), e.getValue());
            }
            DagCbor.writeHead(out, 5, sorted.size());
            for (Map.Entry<byte[], Object> e : sorted.entrySet()) {
                DagCbor.writeHead(out, 3, e.getKey().length);
                out.writeBytes(e.getKey());
                cbor(e.getValue(), out);
            }
        }
    }
}
