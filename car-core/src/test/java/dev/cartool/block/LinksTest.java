package dev.cartool.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.car.CarReader;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

class LinksTest {
    @Test
    void onlyCodecsWhoseLinksAreFoundCanLink() {
        assertTrue(Links.canLink(Multicodec.DAG_PB));
        assertTrue(Links.canLink(Multicodec.DAG_CBOR));
        assertFalse(Links.canLink(Multicodec.RAW), "raw blocks have no links");
        assertTrue(Links.understands(Multicodec.RAW));
        assertFalse(Links.canLink(Multicodec.DAG_JSON), "links this toolkit does not read");
        assertFalse(Links.understands(Multicodec.DAG_JSON));
    }

    /**
     * The links as bytes are the links as objects, block by block, over the CARs Kubo, the JS
     * stack and go-car's vectors made (dag-pb files and directories, dag-cbor, raw), one
     * {@link LinkBytes} reused throughout as verify reuses it.
     */
    @Test
    void linksAsBytesAreTheLinksOfEveryPeerMadeBlock() throws IOException {
        LinkBytes bytes = new LinkBytes();
        long[] byCodec = new long[3];
        long links = 0;
        for (String car : List.of("lolcow.car", "lolcow-ipfs-car.car", "tree.car", "dir-meta.car",
                "dagcbor.car", "dag-vectors.car", "range-v0.car")) {
            try (InputStream in = Files.newInputStream(Fixtures.testdata(car)); CarReader r = CarReader.open(in)) {
                Block b;
                while ((b = r.next()) != null) {
                    Links.bytesOf(b, bytes);
                    List<Cid> asBytes = new ArrayList<>();
                    for (int i = 0; i < bytes.count(); i++) {
                        asBytes.add(bytes.cid(i));
                    }
                    assertEquals(Links.of(b), asBytes, car + ": " + b.cid());
                    long codec = b.cid().codec();
                    byCodec[codec == Multicodec.DAG_PB ? 0 : codec == Multicodec.DAG_CBOR ? 1 : 2]++;
                    links += asBytes.size();
                }
            }
        }
        assertTrue(byCodec[0] > 10 && byCodec[1] > 0 && byCodec[2] > 10, java.util.Arrays.toString(byCodec));
        assertTrue(links > 100, "links compared: " + links);
    }

    /** A damaged dag-pb block is refused as {@link Links#of} refuses it. */
    @Test
    void aDamagedNodeIsRefusedWithTheSameMessage() {
        byte[] node = {0x12, 0x03, 0x0a, 0x05, 0x01}; // a link whose Hash claims 5 bytes of 1
        Block b = Block.of(Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, node), node);
        MalformedBlockException asObjects = org.junit.jupiter.api.Assertions.assertThrows(
                MalformedBlockException.class, () -> Links.of(b));
        MalformedBlockException asBytes = org.junit.jupiter.api.Assertions.assertThrows(
                MalformedBlockException.class, () -> Links.bytesOf(b, new LinkBytes()));
        assertEquals(asObjects.getMessage(), asBytes.getMessage());
    }
}
