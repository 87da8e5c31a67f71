package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;

class CidSetTest {
    private static Cid raw(int i) {
        return Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)});
    }

    /** A CID is one CID: the same multihash under another codec or version is another. */
    @Test
    void aCidIsAddedOnceAndItsKindCounts() {
        try (CidSet s = new CidSet()) {
            Cid pb = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, new byte[] {1, 2, 3});
            assertTrue(s.add(pb));
            assertFalse(s.add(pb));
            assertFalse(s.add(Cid.v1(Multicodec.DAG_PB, pb.multihash())), "equal CIDs are one");
            assertTrue(s.add(Cid.v1(Multicodec.RAW, pb.multihash())), "raw over the same bytes is another block");
            assertTrue(s.add(Cid.v0(pb.multihash())), "CIDv0 is another CID");
            assertFalse(s.add(Cid.v0(pb.multihash())));
            assertEquals(3, s.size());
        }
    }

    /** Past its memory the set spills to files and still tells every CID met from every other. */
    @Test
    void pastItsMemoryItStaysExact(@TempDir Path dir) {
        long limit = 64 << 10;
        TableMemory.set(limit, dir);
        try (CidSet s = new CidSet()) {
            for (int i = 0; i < 50_000; i += 2) {
                assertTrue(s.add(raw(i)));
            }
            assertTrue(s.memory() <= limit + (32 << 10), "held " + s.memory() + " bytes");
            for (int i = 0; i < 50_000; i++) {
                assertEquals(i % 2 == 1, s.add(raw(i)), "CID " + i);
            }
            assertEquals(50_000, s.size());
        } finally {
            TableMemory.set(TableMemory.DEFAULT_LIMIT, Path.of(System.getProperty("java.io.tmpdir")));
        }
    }
}
