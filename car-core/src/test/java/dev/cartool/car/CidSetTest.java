package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    /** The same CID under another key (a visit under another selector) is another entry. */
    @Test
    void aKeyMakesAnotherEntry() {
        try (CidSet s = new CidSet()) {
            Cid c = raw(7);
            assertTrue(s.add(c, 0));
            assertTrue(s.add(c, 12345));
            assertFalse(s.add(c, 12345));
            assertTrue(s.contains(c) && s.contains(c, 12345) && !s.contains(c, 99));
            assertFalse(s.add(c), "key 0 is the CID alone");
            assertEquals(2, s.size());
        }
    }

    /** Two sets on one budget (an export's visits and writes) keep to it together. */
    @Test
    void twoSetsOnOneBudgetKeepToItTogether(@TempDir Path dir) {
        long limit = 128 << 10;
        TableMemory.set(limit, dir);
        try (CidSet a = new CidSet(TableMemory.Budget.ofTable()); CidSet b = new CidSet(TableMemory.Budget.ofTable())) {
            TableMemory.Budget shared = TableMemory.Budget.ofTable();
            try (CidSet c = new CidSet(shared); CidSet d = new CidSet(shared)) {
                for (int i = 0; i < 30_000; i++) {
                    assertTrue(a.add(raw(i)) & b.add(raw(i)) & c.add(raw(i)) & d.add(raw(i)));
                }
                assertTrue(a.memory() + b.memory() > limit, "apart they hold " + (a.memory() + b.memory()));
                assertTrue(c.memory() + d.memory() <= limit, "together they hold " + (c.memory() + d.memory()));
                assertFalse(c.add(raw(29_999)) || d.add(raw(0)));
            }
        } finally {
            TableMemory.set(TableMemory.DEFAULT_LIMIT, Path.of(System.getProperty("java.io.tmpdir")));
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

    /**
     * With a total set, sets made on several threads at once (a gateway's concurrent exports)
     * hold at most it together, stay exact past it, and give it back when closed.
     */
    @Test
    void setsOnSeveralThreadsKeepToTheTotal(@TempDir Path dir) throws Exception {
        long limit = 128 << 10;
        int threads = 4;
        TableMemory.set(limit, dir);
        TableMemory.setTotal(limit);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CidSet> sets = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<CidSet>> filled = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                filled.add(pool.submit(() -> {
                    CidSet s = new CidSet();
                    start.await();
                    for (int i = 0; i < 30_000; i++) {
                        if (!s.add(raw(i))) {
                            throw new AssertionError("CID " + i + " taken for one already added");
                        }
                    }
                    return s;
                }));
            }
            long held = 0;
            for (Future<CidSet> f : filled) {
                CidSet s = f.get();
                sets.add(s);
                held += s.memory();
                assertEquals(30_000, s.size());
                assertTrue(s.contains(raw(29_999)) && !s.contains(raw(30_000)));
            }
            // Each set's first 32 KiB are taken whether they fit or not; alone each would grow to the limit.
            assertTrue(held <= limit + threads * (32 << 10), "together they hold " + held);
            for (CidSet s : sets) {
                s.close();
            }
            sets.clear();
            try (CidSet after = new CidSet()) {
                for (int i = 0; i < 30_000; i++) {
                    after.add(raw(i));
                }
                assertTrue(after.memory() > limit / 2, "closed sets gave back their memory: " + after.memory());
            }
        } finally {
            for (CidSet s : sets) {
                s.close();
            }
            pool.shutdownNow();
            TableMemory.setTotal(Long.MAX_VALUE);
            TableMemory.set(TableMemory.DEFAULT_LIMIT, Path.of(System.getProperty("java.io.tmpdir")));
        }
    }
}
