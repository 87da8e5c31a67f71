package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Property(tries = 25)
    void everyReadGivesTheFilesBytesInAnyOrderOnAnyThread(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 0, max = 40_000) int maxLen) throws Exception {
        Path p = Files.createTempFile("window", ".car");
        try {
            List<Block> blocks = write(p, seed, n, maxLen);
            try (CarFile f = CarFile.open(p)) {
                List<SectionRef> refs = new ArrayList<>();
                CarFile.Scan scan = f.scan();
                SectionRef ref;
                while ((ref = scan.next()) != null) {
                    refs.add(ref);
                }
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
            List<SectionRef> refs = new ArrayList<>();
            try (CarFile f = CarFile.open(p)) {
                CarFile.Scan scan = f.scan();
                SectionRef ref;
                while ((ref = scan.next()) != null) {
                    refs.add(ref);
                }
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
}
