package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.block.Links;
import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CAR on a stream, in any order, within a budget: what is spooled and what is not. */
class CarStreamSourceTest {
    @TempDir
    Path tmp;

    private static CarStreamSource open(String name, long budget, Path spool, int[] spoolings) throws IOException {
        byte[] car = Fixtures.read(Fixtures.testdata(name));
        return new CarStreamSource(CarReader.open(new ByteArrayInputStream(car)), budget, spool, () -> spoolings[0]++);
    }

    /** Every block of the DAG, depth first, as a traversal asks for them; each compared with the file's. */
    private static int walk(CarStreamSource src, Cid root, String name) throws IOException {
        List<Cid> order = new ArrayList<>();
        Set<Cid> seen = new HashSet<>();
        try (CarFileSource file = CarFileSource.open(Fixtures.testdata(name))) {
            ArrayList<Cid> stack = new ArrayList<>(List.of(root));
            while (!stack.isEmpty()) {
                Cid c = stack.remove(stack.size() - 1);
                if (!seen.add(c)) {
                    continue;
                }
                Block b = src.get(c);
                assertNotNull(b, c.toString());
                assertArrayEquals(file.get(c).data(), b.data(), c.toString());
                order.add(c);
                List<Cid> links = Links.of(b);
                for (int i = links.size() - 1; i >= 0; i--) {
                    stack.add(links.get(i));
                }
            }
        }
        return order.size();
    }

    @Test
    void aDfsStreamIsServedWithinTheBudgetWithoutTouchingTheDisk() throws IOException {
        int[] spoolings = {0};
        try (CarStreamSource src = open("tree.car", 4096, tmp, spoolings)) {
            assertEquals(2304, walk(src, src.header().roots().get(0), "tree.car"));
            assertEquals(0, src.spooledBytes(), "served blocks are dropped, never written out");
        }
        assertEquals(0, spoolings[0]);
    }

    @Test
    void aLeavesFirstStreamSpoolsWhatWaitsAndServesEveryBlock() throws IOException {
        int[] spoolings = {0};
        try (CarStreamSource src = open("tree-leaves-first.car", 4096, tmp, spoolings)) {
            assertEquals(2304, walk(src, src.header().roots().get(0), "tree-leaves-first.car"));
            assertTrue(src.spooledBytes() > 20_000, "the blocks before the root went to the spool: " + src.spooledBytes());
        }
        assertEquals(1, spoolings[0], "said once");
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "the spool is unlinked at once");
        }
        // Without a spool, the same stream fails and says why.
        try (CarStreamSource src = open("tree-leaves-first.car", 4096, null, spoolings)) {
            CarException e = assertThrows(CarException.class, () -> walk(src, src.header().roots().get(0), "tree-leaves-first.car"));
            assertTrue(e.getMessage().contains("CAR_STREAM_CACHE"), e.getMessage());
        }
    }

    @Test
    void servedBlocksAreHeldOneAKibibyteOfBudgetAtMost() throws IOException {
        // tree.car: 2,304 small blocks, 766,417 bytes as the budget counts them. A budget of
        // 1 MiB holds them all by bytes but 1,024 served blocks by count: the root, served first,
        // is dropped by the end of the walk; a budget of 3 MiB holds 3,072 and keeps it.
        try (CarStreamSource src = open("tree.car", 1 << 20, null, new int[1])) {
            Cid root = src.header().roots().get(0);
            assertEquals(2304, walk(src, root, "tree.car"));
            CarException e = assertThrows(CarException.class, () -> src.get(root));
            assertTrue(e.getMessage().contains("is needed again"), e.getMessage());
        }
        try (CarStreamSource src = open("tree.car", 3 << 20, null, new int[1])) {
            Cid root = src.header().roots().get(0);
            assertEquals(2304, walk(src, root, "tree.car"));
            assertNotNull(src.get(root));
        }
    }

    @Test
    void withASpoolBlocksDroppedForTheCountAreKeptThereAndNotSaid() throws IOException {
        // A 1 MiB budget with a spool holds 256 blocks: the root, served first, is dropped for
        // the count by the end of the walk (its bytes fit the budget), so it goes to the spool
        // and is served again from there; nothing was passed over, so nothing is said.
        int[] spoolings = {0};
        try (CarStreamSource src = open("tree.car", 1 << 20, tmp, spoolings)) {
            Cid root = src.header().roots().get(0);
            assertEquals(2304, walk(src, root, "tree.car"));
            assertTrue(src.spooledBytes() > 0, "dropped blocks were spooled");
            Block again = src.get(root);
            assertNotNull(again);
            assertEquals(root, again.cid());
            try (CarFileSource file = CarFileSource.open(Fixtures.testdata("tree.car"))) {
                assertArrayEquals(file.get(root).data(), again.data());
            }
        }
        assertEquals(0, spoolings[0], "a DFS stream is not reported as out of order");
        // With nothing left for the count, the same root is forgotten and named when asked again.
        byte[] car = Fixtures.read(Fixtures.testdata("tree.car"));
        try (CarStreamSource src = new CarStreamSource(CarReader.open(new ByteArrayInputStream(car)), 1 << 20, tmp, null, 0)) {
            Cid root = src.header().roots().get(0);
            assertEquals(2304, walk(src, root, "tree.car"));
            assertEquals(0, src.spooledBytes());
            CarException e = assertThrows(CarException.class, () -> src.get(root));
            assertTrue(e.getMessage().contains("is needed again"), e.getMessage());
        }
    }

    @Test
    void aBlockReadAheadOfTheSpoolIsStillServedWhenItsTurnComes() throws IOException {
        // Midway through a DFS walk the root (dropped for the count, so spooled) is asked for
        // again: the stream's next block is read first, is not it, and must wait for its turn,
        // which comes next; the spool then serves the root. The walk goes on to the end.
        int[] spoolings = {0};
        try (CarStreamSource src = open("tree.car", 1 << 20, tmp, spoolings);
                CarFileSource file = CarFileSource.open(Fixtures.testdata("tree.car"))) {
            Cid root = src.header().roots().get(0);
            ArrayList<Cid> stack = new ArrayList<>(List.of(root));
            Set<Cid> seen = new HashSet<>();
            int served = 0;
            while (!stack.isEmpty()) {
                Cid c = stack.remove(stack.size() - 1);
                if (!seen.add(c)) {
                    continue;
                }
                Block b = src.get(c);
                assertNotNull(b, "block " + served + ", " + c);
                assertArrayEquals(file.get(c).data(), b.data(), c.toString());
                if (++served == 1000) {
                    assertTrue(src.spooledBytes() > 0, "the root was dropped for the count by now");
                    Block again = src.get(root);
                    assertNotNull(again);
                    assertArrayEquals(file.get(root).data(), again.data());
                }
                List<Cid> links = Links.of(b);
                for (int i = links.size() - 1; i >= 0; i--) {
                    stack.add(links.get(i));
                }
            }
            assertEquals(2304, served);
        }
        assertEquals(0, spoolings[0], "the block read ahead is held among the served: not reported as out of order");
    }

    @Test
    void aServedBlockAskedForAgainAfterItWasDroppedIsNamed() throws IOException {
        try (CarStreamSource src = open("tree.car", 1, tmp, new int[1])) {
            Cid root = src.header().roots().get(0);
            Block r = src.get(root);
            List<Cid> links = Links.of(r);
            src.get(links.get(0));
            src.get(links.get(1)); // the root is dropped from the one-byte budget now
            CarException e = assertThrows(CarException.class, () -> src.get(root));
            assertTrue(e.getMessage().contains("is needed again"), e.getMessage());
        }
    }
}
