package dev.cartool.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** CID strings as js-multiformats writes them (testdata/cids.json, made by testdata/regen). */
class CidTest {
    private static final Map<String, Multibase> BASES = Map.of(
            "base16", Multibase.BASE16, "base16upper", Multibase.BASE16_UPPER,
            "base32", Multibase.BASE32, "base32upper", Multibase.BASE32_UPPER,
            "base36", Multibase.BASE36, "base36upper", Multibase.BASE36_UPPER,
            "base58btc", Multibase.BASE58BTC, "base64", Multibase.BASE64, "base64url", Multibase.BASE64URL);

    @Test
    void matchesJsMultiformatsInEveryBase() throws CidFormatException {
        JsonNode rows = Fixtures.json("cids.json").get("cids");
        int checked = 0;
        for (JsonNode row : rows) {
            byte[] bytes = HexFormat.of().parseHex(row.get("bytes").asText());
            Cid cid = Cid.decode(bytes);
            assertEquals(row.get("version").asInt(), cid.version());
            assertEquals(row.get("codec").asLong(), cid.codec());
            assertEquals(row.get("hash").asLong(), cid.multihash().code());
            assertEquals(row.get("digest").asText(), HexFormat.of().formatHex(cid.multihash().digest()));
            assertEquals(row.get("default").asText(), cid.toString());
            assertEquals(cid, Cid.parse(row.get("default").asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                Multibase base = BASES.get(f.getKey());
                if (base == null) {
                    continue;
                }
                String js = f.getValue().asText();
                assertEquals(js, cid.toString(base), f.getKey());
                Cid parsed = Cid.parse(js);
                assertArrayEquals(bytes, parsed.toBytes(), js);
                assertEquals(base, Cid.multibaseOf(js));
                checked++;
            }
        }
        assertEquals(9 * 9, checked, "every CIDv1 row in every base");
    }

    /**
     * {@link Cid#measure} and {@link Cid#multihashAt} on the JS multiformats rows (and a CIDv0),
     * with bytes after them: the length and where the multihash starts, worked out from the
     * rows' hash code and digest, not from this toolkit's decoder; every shorter prefix refused.
     */
    @Test
    void measuresPeerMadeCidsInPlace() throws CidFormatException {
        java.util.List<byte[]> cids = new java.util.ArrayList<>();
        java.util.List<Integer> multihashLengths = new java.util.ArrayList<>();
        for (JsonNode row : Fixtures.json("cids.json").get("cids")) {
            cids.add(HexFormat.of().parseHex(row.get("bytes").asText()));
            int digest = row.get("digest").asText().length() / 2;
            multihashLengths.add(Varint.size(row.get("hash").asLong()) + Varint.size(digest) + digest);
        }
        cids.add(Cid.parse("QmWkyrV21Cmr1KovtEh5s7gPVLEZ9tjAQvgPfKsjtGfntR").toBytes());
        multihashLengths.add(34);
        for (int c = 0; c < cids.size(); c++) {
            byte[] cid = cids.get(c);
            byte[] src = new byte[3 + cid.length + 5];
            java.util.Arrays.fill(src, (byte) 0x01);
            System.arraycopy(cid, 0, src, 3, cid.length);
            assertEquals(cid.length, Cid.measure(src, 3, src.length));
            assertEquals(3 + cid.length - multihashLengths.get(c), Cid.multihashAt(src, 3, src.length));
            for (int end = 3; end < 3 + cid.length; end++) {
                int e = end;
                assertThrows(CidFormatException.class, () -> Cid.measure(src, 3, e), "a prefix of " + (e - 3));
            }
        }
    }

    @Test
    void theSeedExampleIsTheEmptyFile() throws CidFormatException {
        Cid cid = Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertEquals(cid, Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[0]));
        assertEquals("raw", cid.codecName());
        assertEquals("sha2-256", cid.multihash().name());
    }

    @Test
    void cidV0ConvertsToTheV1FormApptainerTakes() throws CidFormatException {
        Cid v0 = Cid.parse("QmPLPpnptHc1DMhJAWNYMTqBTqqRQNy5WsY7F9pZgsBfMT");
        assertEquals(0, v0.version());
        assertEquals(Multicodec.DAG_PB, v0.codec());
        assertEquals("QmPLPpnptHc1DMhJAWNYMTqBTqqRQNy5WsY7F9pZgsBfMT", v0.toString());
        Cid v1 = v0.toV1();
        assertEquals(1, v1.version());
        assertEquals(v0.multihash(), v1.multihash());
        assertEquals(v1, Cid.parse(v1.toString()));
        assertThrows(IllegalArgumentException.class, () -> v0.toString(Multibase.BASE32)); // a misuse, not data
    }

    @Test
    void badCidsAreRejectedWithAReason() {
        assertThrows(CidFormatException.class, () -> Cid.parse(""));
        assertThrows(CidFormatException.class, () -> Cid.parse("hello"));
        // A valid base32 string whose bytes claim CID version 2.
        String v2 = Multibase.BASE32.encode(new byte[] {2, 0x55, 0x12, 0x01, 0x00});
        CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse(v2));
        assertEquals("unsupported CID version 2", e.getMessage());
        // Digest shorter than declared.
        assertThrows(CidFormatException.class, () -> Cid.decode(new byte[] {1, 0x55, 0x12, 0x20, 1, 2}));
        // Trailing bytes after a complete CID.
        byte[] ok = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[0]).toBytes();
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThrows(CidFormatException.class, () -> Cid.decode(longer));
    }

    @Test
    void unknownCodesAreShownInHexNotRejected() throws CidFormatException {
        Cid cid = Cid.v1(0x300001, Multihash.of(0x99, new byte[] {1, 2}));
        assertEquals("0x300001", cid.codecName());
        assertEquals("0x99", cid.multihash().name());
        assertEquals(cid, Cid.parse(cid.toString()));
    }
}
