package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Random access through an index: the scanning one a source builds, or one it is given. */
class CarIndexTest {
    @Test
    void anyOrderThroughAGivenIndexGivesThePeersBlocks() throws Exception {
        // The JS stack's leaves-first CAR (root last), read in a shuffled order.
        java.nio.file.Path car = Fixtures.testdata("tree-leaves-first.car");
        Map<Cid, byte[]> expected = new HashMap<>();
        Map<Multihash, Long> offsets = new HashMap<>();
        try (CarReader r = CarReader.open(java.nio.file.Files.newInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                expected.put(b.cid(), b.data());
                offsets.putIfAbsent(b.cid().multihash(), b.offset());
            }
        }
        List<Cid> order = new ArrayList<>(expected.keySet());
        Collections.shuffle(order, new Random(7));
        try (CarFile file = CarFile.open(car)) {
            CarFileSource src = CarFileSource.over(file, mh -> offsets.getOrDefault(mh, -1L), null);
            for (Cid c : order) {
                assertArrayEquals(expected.get(c), src.get(c).data(), c.toString());
                ByteBuffer into = ByteBuffer.allocateDirect(1 << 20);
                ByteBuffer got = src.readData(c, into).get();
                byte[] bytes = new byte[got.remaining()];
                got.get(bytes);
                assertArrayEquals(expected.get(c), bytes);
            }
            assertNull(src.get(Cid.of(0x55, 0x12, new byte[] {1, 2, 3})), "not listed: not held");
            assertEquals(-1, src.indexAll(), "nothing to scan");
        }
        // The scanning source's own index, once full, locates the same offsets.
        try (CarFileSource scanning = CarFileSource.open(car)) {
            assertEquals(offsets.size(), scanning.indexAll());
            for (Map.Entry<Multihash, Long> e : offsets.entrySet()) {
                assertEquals((long) e.getValue(), scanning.index().offsetOf(e.getKey()));
            }
        }
    }

    /**
     * Without an index, blocks asked for in file order are found where the last one ended, ahead
     * of the scan, which then never moves and fills no table; asked for again in another order,
     * the scan catches up and its table finds every one.
     */
    @Test
    void inFileOrderTheScanStaysBehindAndCatchesUpWhenAsked() throws Exception {
        java.nio.file.Path car = Fixtures.testdata("tree.car");
        List<Block> inOrder = blocks(car);
        try (CarFileSource src = CarFileSource.open(car)) {
            for (Block b : inOrder) {
                Block got = src.get(b.cid());
                assertArrayEquals(b.data(), got.data(), b.cid().toString());
                assertEquals(b.offset(), got.offset());
            }
            assertTrue(src.scannedCount() <= 1, "scanned " + src.scannedCount() + " of " + inOrder.size());
            List<Block> reversed = new ArrayList<>(inOrder);
            Collections.reverse(reversed);
            for (Block b : reversed.subList(1, reversed.size())) { // not the last: it is where the guess lands
                assertArrayEquals(b.data(), src.get(b.cid()).data(), b.cid().toString());
            }
            assertEquals(inOrder.size() - 1, src.scannedCount(), "the scan passed all up to the last asked for");
            assertNull(src.get(Cid.of(0x55, 0x12, new byte[] {1, 2, 3})), "not in the file: not held");
        }
    }

    /** Every block of a CAR, in file order, with its offset. */
    private static List<Block> blocks(java.nio.file.Path car) throws java.io.IOException {
        List<Block> blocks = new ArrayList<>();
        try (CarReader r = CarReader.open(java.nio.file.Files.newInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                blocks.add(b);
            }
        }
        return blocks;
    }

    @Test
    void nearFindsTheSectionThereOrTheOneAfterAndNothingElse() throws Exception {
        // The JS stack's leaves-first CAR: every section's offset and end, in file order.
        java.nio.file.Path car = Fixtures.testdata("tree-leaves-first.car");
        List<Block> blocks = blocks(car);
        assertTrue(blocks.size() >= 4);
        try (CarFile file = CarFile.open(car)) {
            CarFileSource src = CarFileSource.over(file, mh -> -1L, null);
            for (int i = 0; i + 2 < blocks.size(); i++) {
                Block at = blocks.get(i);
                long offset = at.offset();
                assertEquals(offset, src.near(at.cid(), offset).offset(), "the section there");
                assertEquals(blocks.get(i + 1).offset(), src.near(blocks.get(i + 1).cid(), offset).offset(),
                        "the one after it");
                if (!blocks.get(i + 2).cid().multihash().equals(at.cid().multihash())
                        && !blocks.get(i + 2).cid().multihash().equals(blocks.get(i + 1).cid().multihash())) {
                    assertNull(src.near(blocks.get(i + 2).cid(), offset), "two on: not looked for");
                }
            }
            // A guess inside a section (never made: guesses are where a section read ends) can
            // read as a section of its own, its CID where the real one is; its bytes are then
            // never taken for the block's: they are read, hashed, and refused.
            int phantoms = 0;
            for (int i = 0; i < 4; i++) {
                Block at = blocks.get(i);
                for (long off = at.offset() + 1; off < at.offset() + 48; off++) {
                    SectionRef r = src.near(at.cid(), off);
                    if (r == null || r.offset() == at.offset()) {
                        continue;
                    }
                    phantoms++;
                    try {
                        ByteBuffer got = src.readData(r, at.cid(), ByteBuffer.allocate(1 << 16)).get();
                        byte[] bytes = new byte[got.remaining()];
                        got.get(bytes);
                        assertArrayEquals(at.data(), bytes, "a phantom at " + off + " read as the block");
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertTrue(e.getCause() instanceof CarException, e.getCause().toString());
                    }
                }
            }
            assertTrue(phantoms > 0, "this CAR has sections whose inside reads as one (a 3-byte length)");
            assertNull(src.near(blocks.get(0).cid(), -1), "no guess");
            assertNull(src.near(blocks.get(0).cid(), 1L << 40), "past the end");
            assertNull(src.locate(blocks.get(0).cid()), "an index that lists nothing: not held");
        }
    }

    @Test
    void anIndexThatLiesIsCaughtAtTheOffsetItNamed() throws Exception {
        java.nio.file.Path car = Fixtures.testdata("lolcow.car");
        List<Block> blocks = blocks(car);
        Block a = blocks.get(0);
        Block other = blocks.get(1);
        try (CarFile file = CarFile.open(car)) {
            CarFileSource wrong = CarFileSource.over(file, mh -> other.offset(), null);
            MalformedCarException e = assertThrows(MalformedCarException.class, () -> wrong.get(a.cid()));
            assertEquals(other.offset(), e.offset());
            assertTrue(e.getMessage().contains(other.cid().toString()), e.getMessage());
            CarFileSource past = CarFileSource.over(file, mh -> 1L << 40, null);
            assertThrows(CarException.class, () -> past.get(a.cid()));
        }
    }
}
