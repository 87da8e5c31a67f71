package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.error.CarException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * CarFile serves small reads in file order from a per-thread window: whatever the order of the
 * reads, from any number of threads, each gives the bytes the file holds.
 */
class CarFileWindowProperties {
    private static List<Block> write(Path p, long seed, int n, int maxLen) throws IOException {
        Random r = new Random(seed);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[r.nextInt(maxLen + 1)];
            r.nextBytes(d);
            blocks.add(Block.of(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, d), d));
        }
        try (OutputStream out = Files.newOutputStream(p); CarWriter w = CarWriter.create(out, List.of(blocks.get(0).cid()))) {
            for (Block b : blocks) {
                w.write(b);
            }
        }
        return blocks;
    }

    /** Every section of {@code f}, by its scan. */
    private static List<SectionRef> sections(CarFile f) throws IOException {
        List<SectionRef> refs = new ArrayList<>();
        CarFile.Scan scan = f.scan();
        SectionRef ref;
        while ((ref = scan.next()) != null) {
            refs.add(ref);
        }
        return refs;
    }

    @Property(tries = 25)
    void everyReadGivesTheFilesBytesInAnyOrderOnAnyThread(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 0, max = 40_000) int maxLen) throws Exception {
        Path p = Files.createTempFile("window", ".car");
        try {
            List<Block> blocks = write(p, seed, n, maxLen);
            try (CarFile f = CarFile.open(p)) {
                List<SectionRef> refs = sections(f);
                assertEquals(blocks.size(), refs.size());
                // In order (the window's case), shuffled (direct reads), and on four threads at once.
                check(f, refs, blocks, null);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < refs.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(seed));
                check(f, refs, blocks, order);
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failed = Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < 4; t++) {
                    Thread th = new Thread(() -> {
                        try {
                            check(f, refs, blocks, null);
                        } catch (Throwable e) {
                            failed.add(e);
                        }
                    });
                    threads.add(th);
                    th.start();
                }
                for (Thread th : threads) {
                    th.join();
                }
                assertEquals(List.of(), failed);
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static void check(CarFile f, List<SectionRef> refs, List<Block> blocks, List<Integer> order) throws IOException {
        ByteBuffer into = ByteBuffer.allocateDirect(64 << 10);
        for (int k = 0; k < refs.size(); k++) {
            int i = order == null ? k : order.get(k);
            SectionRef ref = refs.get(i);
            assertEquals(ref, f.section(ref.offset()));
            Block b = f.read(ref);
            assertArrayEquals(blocks.get(i).data(), b.data(), "block " + i);
            f.readData(ref, into);
            byte[] got = new byte[into.remaining()];
            into.get(got);
            assertArrayEquals(blocks.get(i).data(), got, "data of block " + i);
        }
    }

    @Property(tries = 10)
    void aFileCutShortIsReportedNotServedFromTheWindow(@ForAll long seed, @ForAll @IntRange(min = 50, max = 400) int n)
            throws Exception {
        Path p = Files.createTempFile("window", ".car");
        try {
            write(p, seed, n, 100);
            long size = Files.size(p);
            List<SectionRef> refs;
            try (CarFile f = CarFile.open(p)) {
                refs = sections(f);
            }
            SectionRef last = refs.get(refs.size() - 1);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(size - 1);
            }
            try (CarFile f = CarFile.open(p)) {
                for (SectionRef r : refs.subList(0, refs.size() - 1)) {
                    f.read(r); // a run of reads in order: the window is in use at the end
                }
                assertThrows(CarException.class, () -> f.section(last.offset()));
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Property(tries = 10)
    void twoFilesReadInTurnOnOneThreadEachGiveTheirOwnBytes(@ForAll long seed) throws Exception {
        Path p = Files.createTempFile("window-a", ".car");
        Path q = Files.createTempFile("window-b", ".car");
        try {
            List<Block> a = write(p, seed, 500, 200);
            List<Block> b = write(q, seed + 1, 500, 200);
            try (CarFile f = CarFile.open(p); CarFile g = CarFile.open(q)) {
                CarFile.Scan sf = f.scan();
                CarFile.Scan sg = g.scan();
                for (int i = 0; i < 500; i++) {
                    // runs of four in each file, so each run fills the thread's one window anew
                    CarFile.Scan s = (i / 4) % 2 == 0 ? sf : sg;
                    SectionRef ref = s.next();
                    if (ref == null) {
                        continue;
                    }
                    Block got = (s == sf ? f : g).read(ref);
                    List<Block> want = s == sf ? a : b;
                    assertEquals(want.stream().filter(x -> x.cid().equals(ref.cid())).findFirst().orElseThrow().cid(), got.cid());
                    assertArrayEquals(want.stream().filter(x -> x.cid().equals(ref.cid())).findFirst().orElseThrow().data(), got.data());
                }
            }
        } finally {
            Files.deleteIfExists(p);
            Files.deleteIfExists(q);
        }
    }

    @Example
    void aWindowIsFilledForReadsInOrderAndOneForEachOfFourReadersInTurn() throws Exception {
        Path p = Files.createTempFile("window", ".car");
        try {
            // 20,000 blocks of up to 1,000 bytes: about 10.8 MB, 42 windows of 256 KiB; an eighth
            // of it is five windows.
            List<Block> blocks = write(p, 7, 20_000, 1000);
            try (CarFile f = CarFile.open(p)) {
                List<SectionRef> refs = sections(f);
                // In order: a window every 256 KiB.
                long before = CarFile.windowFills();
                for (int k = 0; k < refs.size(); k++) {
                    SectionRef s = refs.get(k);
                    assertEquals(s, f.section(s.offset()));
                    assertArrayEquals(blocks.get(k).data(), f.read(s).data(), "block " + k);
                }
                long inOrder = CarFile.windowFills() - before;
                long windows = (Files.size(p) + (256 << 10) - 1) / (256 << 10);
                assertTrue(inOrder >= windows - 1 && inOrder <= windows + 1, inOrder + " windows for " + windows + " of the file");
                // Two readers in turn, eight blocks each (a server's connections, each going through
                // its files in order): each has a window of its own, filled about as often as one
                // reader's. With one window for both, it was filled anew at every turn (2,500
                // windows); then, backing off, served almost no read.
                before = CarFile.windowFills();
                long servedBefore = CarFile.windowReads();
                int reads = readInTurn(f, refs, blocks, 2);
                long inTurn = CarFile.windowFills() - before;
                long served = CarFile.windowReads() - servedBefore;
                assertTrue(inTurn <= windows + 4, inTurn + " windows for two readers in turn");
                assertTrue(served >= reads * 9L / 10, served + " of " + reads + " reads from the windows, two readers in turn");
                // Four in turn: each still has its own.
                servedBefore = CarFile.windowReads();
                reads = readInTurn(f, refs, blocks, 4);
                served = CarFile.windowReads() - servedBefore;
                assertTrue(served >= reads * 9L / 10, served + " of " + reads + " reads from the windows, four readers in turn");
                // Eight in turn, more than the thread has windows for: a window filled for a run is
                // given up a few reads later (a fill a turn if each run started afresh), so the
                // thread waits for longer runs before it fills one.
                before = CarFile.windowFills();
                readInTurn(f, refs, blocks, 8);
                long eight = CarFile.windowFills() - before;
                assertTrue(eight <= 20, eight + " windows for eight readers in turn");
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }
    /**
     * {@code readers} readers in turn, eight blocks each, each going through its part of the file
     * in order (a server's connections); every head and block checked. Returns the reads made.
     */
    private static int readInTurn(CarFile f, List<SectionRef> refs, List<Block> blocks, int readers) throws IOException {
        int part = refs.size() / readers;
        int reads = 0;
        for (int turn = 0; turn < readers * part / 8; turn++) {
            int base = (turn % readers) * part + (turn / readers) * 8;
            for (int k = base; k < base + 8 && k < refs.size(); k++) {
                SectionRef s = refs.get(k);
                assertEquals(s, f.section(s.offset()));
                assertArrayEquals(blocks.get(k).data(), f.read(s).data(), "block " + k);
                reads += 2;
            }
        }
        return reads;
    }

    @Example
    void headsReadOutOfTheWindowShareOnePageOfTheThreads() throws Exception {
        Path p = Files.createTempFile("window", ".car");
        try {
            // 1,000 blocks of 6,000 bytes: each head lies too far past the last for the window
            // (verify's scan of 256 KiB leaves), so each is read from the file, a page at a time.
            Random r = new Random(11);
            List<Block> blocks = new ArrayList<>();
            try (OutputStream out = Files.newOutputStream(p); CarWriter w = CarWriter.create(out, List.of(Cid.of(Multicodec.RAW,
                    Multicodec.SHA2_256, new byte[0])))) {
                for (int i = 0; i < 1000; i++) {
                    byte[] d = new byte[6000];
                    r.nextBytes(d);
                    Block b = Block.of(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, d), d);
                    blocks.add(b);
                    w.write(b);
                }
            }
            try (CarFile f = CarFile.open(p)) {
                sections(f); // classes loaded, the thread's page in place
                long before = THREADS.getCurrentThreadAllocatedBytes();
                List<SectionRef> refs = sections(f);
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertEquals(blocks.size(), refs.size());
                for (int i = 0; i < refs.size(); i++) {
                    assertEquals(blocks.get(i).cid(), refs.get(i).cid(), "section " + i);
                }
                // A CID and a record a head, a few hundred bytes; a page each was 4 MB.
                assertTrue(allocated < (1500 << 10), allocated + " bytes allocated for 1,000 heads");
                // The reused page is read afresh for each head: the last one read, then its block.
                SectionRef last = refs.get(refs.size() - 1);
                assertEquals(last, f.section(last.offset()));
                assertArrayEquals(blocks.get(blocks.size() - 1).data(), f.read(last).data());
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
}
