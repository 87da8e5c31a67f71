package dev.cartool.dagpb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.car.CarReader;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

class DagPbTest {
    private static List<Block> blocks(String fixture) throws IOException {
        List<Block> out = new ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(Fixtures.read(Fixtures.testdata(fixture))))) {
            Block b;
            while ((b = r.next()) != null) {
                out.add(b);
            }
        }
        return out;
    }

    @Test
    void decodesAndReencodesEveryDagPbNodeTheJsImporterMade() throws Exception {
        int nodes = 0;
        for (String f : List.of("lolcow.car", "lolcow-wrapped.car", "lolcow-cidv0.car")) {
            for (Block b : blocks(f)) {
                if (b.cid().codec() != Multicodec.DAG_PB) {
                    continue;
                }
                PbNode node = DagPb.decode(b.data());
                assertArrayEquals(b.data(), DagPb.encode(node), "canonical re-encoding of " + b.cid());
                nodes++;
            }
        }
        assertTrue(nodes >= 4, "fixtures hold dag-pb nodes");
    }

    @Test
    void wrappedDirectoryLinksToTheImageByName() throws Exception {
        List<Block> bs = blocks("lolcow-wrapped.car");
        PbNode dir = DagPb.decode(bs.get(0).data());
        assertEquals(1, dir.links().size());
        PbLink link = dir.links().get(0);
        assertEquals("lolcow.sif", link.name());
        assertEquals(bs.get(1).cid(), link.hash());
        assertTrue(link.tsize() > 344064);
    }

    private static String linkHex() {
        Cid c = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[0]);
        String cid = HexFormat.of().formatHex(c.toBytes());
        return "0a" + String.format("%02x", c.encodedLength()) + cid;
    }

    private static PbNode decodeHex(String hex) throws DagPbException {
        return DagPb.decode(HexFormat.of().parseHex(hex));
    }

    @Test
    void emptyNodeAndEmptyData() throws Exception {
        PbNode empty = DagPb.decode(new byte[0]);
        assertTrue(empty.links().isEmpty());
        assertNull(empty.data());
        PbNode emptyData = decodeHex("0a00");
        assertArrayEquals(new byte[0], emptyData.data());
        assertArrayEquals(HexFormat.of().parseHex("0a00"), DagPb.encode(emptyData));
    }

    @Test
    void strictnessFollowsTheSpec() {
        String link = linkHex();
        String linkField = "12" + String.format("%02x", link.length() / 2) + link;
        // Data then Links: out of canonical order.
        assertThrows(DagPbException.class, () -> decodeHex("0a0101" + linkField));
        // Duplicate Data.
        assertThrows(DagPbException.class, () -> decodeHex("0a01010a0102"));
        // Unknown PBNode field 3.
        assertThrows(DagPbException.class, () -> decodeHex("1a0101"));
        // Data with the varint wire type.
        assertThrows(DagPbException.class, () -> decodeHex("0801"));
        // A link without Hash (only a Name).
        assertThrows(DagPbException.class, () -> decodeHex("1203120161"));
        // Link fields out of order: Name before Hash.
        String nameThenHash = "120161" + link;
        assertThrows(DagPbException.class, () -> decodeHex("12" + String.format("%02x", nameThenHash.length() / 2) + nameThenHash));
        // Length running past the end.
        DagPbException e = assertThrows(DagPbException.class, () -> decodeHex("0a05"));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        // A Hash that is not a CID.
        assertThrows(DagPbException.class, () -> decodeHex("12040a020102"));
    }

    @Test
    void encoderSortsLinksByNameBytes() throws Exception {
        Cid a = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {1});
        Cid b = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {2});
        PbNode n = new PbNode(List.of(new PbLink(a, "b", 1L), new PbLink(b, "a", 2L)), new byte[] {8, 1});
        PbNode back = DagPb.decode(DagPb.encode(n));
        assertEquals("a", back.links().get(0).name());
        assertEquals(b, back.links().get(0).hash());
        assertEquals(2L, back.links().get(0).tsize());
    }

    private static String withName(String nameHex) {
        String link = linkHex() + "12" + String.format("%02x", nameHex.length() / 2) + nameHex;
        return "12" + String.format("%02x", link.length() / 2) + link;
    }

    @Test
    void linkNamesMustBeUtf8() throws Exception {
        assertEquals("a.b", decodeHex(withName("612e62")).links().get(0).name());
        assertEquals("", decodeHex(withName("")).links().get(0).name());
        // Multi-byte UTF-8 after ASCII: é (c3 a9) and a 4-byte emoji.
        assertEquals("x\u00e9\uD83D\uDE00", decodeHex(withName("78c3a9f09f9880")).links().get(0).name());
        // Not UTF-8: a lone continuation byte, an overlong NUL, a surrogate, a cut sequence.
        for (String bad : List.of("6180", "c080", "eda080", "61e282")) {
            DagPbException e = assertThrows(DagPbException.class, () -> decodeHex(withName(bad)), bad);
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
    }
}
