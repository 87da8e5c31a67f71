package dev.cartool.ipld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.Links;
import dev.cartool.block.MalformedBlockException;
import dev.cartool.car.CarReader;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 9: strict DAG-CBOR wherever it is decoded. */
class DagCborTest {
    static List<Cid> check(String hex) throws DagCbor.DagCborException {
        byte[] b = HexFormat.of().parseHex(hex);
        List<Cid> out = new ArrayList<>();
        DagCbor.check(b, 0, b.length, out);
        return out;
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // {"a":1,"a":2}
        "a2616101616102, duplicate map key",
        // {"bb":1,"a":2}: length-first order wants "a" first
        "a262626201616102, out of order",
        // 1 as a two-byte integer
        "1801, shortest form",
        // 500 as a four-byte integer
        "1a000001f4, shortest form",
        // an indefinite-length array [_ 1]
        "9f01ff, indefinite",
        // undefined
        "f7, undefined",
        // NaN as float64
        "fb7ff8000000000000, NaN",
        // 1.5 as float32
        "fa3fc00000, 32-bit float",
        // 1.5 as float16
        "f93e00, 16-bit float",
        // tag 1 (epoch time)
        "c11a514b67b0, only tag 42",
        // a map with an integer key {1: 2}
        "a10102, not a text string",
        // two items
        "0101, trailing data",
        // a byte string claiming more than is there
        "5a7fffffff00, exceeds",
        // a map claiming 2^31 entries
        "ba7fffffff, exceeds",
        // tag 42 around a text string
        "d82a6161, byte string",
        // tag 42 without the 0x00 prefix
        "d82a4201ff, 0x00 prefix",
        // simple value 16
        "f0, simple value",
        // empty
        "'', empty"
    })
    void nonCanonicalOrNonDagCborIsRefused(String hex, String why) {
        DagCbor.DagCborException e = assertThrows(DagCbor.DagCborException.class, () -> check(hex));
        assertTrue(e.getMessage().contains(why), hex + ": " + e.getMessage());
    }

    @Test
    void canonicalFormsPass() throws Exception {
        check("a261610161620a"); // {"a":1,"b":10}
        check("a2616101626262f6"); // {"a":1,"bb":null}
        check("fb3ff8000000000000"); // 1.5 as float64
        check("3903e7"); // -1000
        check("1b0000000100000000"); // 2^32 in eight bytes
        check("80"); // []
    }

    @Test
    void everyCidOfPeerMadeDagCborIsFound() throws Exception {
        int blocks = 0;
        int links = 0;
        try (CarReader r = CarReader.open(new java.io.ByteArrayInputStream(Fixtures.read(Fixtures.testdata("dagcbor.car"))))) {
            Block b;
            while ((b = r.next()) != null) {
                if (b.cid().codec() == Multicodec.DAG_CBOR) {
                    blocks++;
                    links += Links.of(b).size(); // strict, and passes
                }
            }
        }
        assertEquals(3, blocks);
        assertTrue(links >= 3, "links found: " + links);
    }

    @Test
    void aBlockWithDuplicateKeysIsMalformed() {
        byte[] dup = HexFormat.of().parseHex("a2616101616102");
        Block b = Block.of(Cid.of(Multicodec.DAG_CBOR, Multicodec.SHA2_256, dup), dup);
        MalformedBlockException e = assertThrows(MalformedBlockException.class, () -> Links.of(b));
        assertTrue(e.getMessage().contains(b.cid().toString()) && e.getMessage().contains("duplicate"), e.getMessage());
    }
}
