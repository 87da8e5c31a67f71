package dev.cartool.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.DataReader;
import dev.cartool.block.DataReads;
import dev.cartool.block.MissingBlockException;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarWriter;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import dev.cartool.error.CarException;
import dev.cartool.store.CarStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file of thousands of small leaves (4 MB of them: runs are for ranges of a MiB or more) is read in runs ({@link DataReads}) on the source's threads:
 * from a CAR file that is scanned, from the store (found by its index, each run starting where the
 * one before it ended), and on the calling thread. The bytes must be the file's, in order, through
 * runs that span the DAG's interior nodes; a leaf that fails its hash or is missing in the middle
 * of a run is named, whichever run it is in.
 */
class SmallLeafRunsTest {
    @TempDir
    Path dir;

    /** Leaves, their file nodes (one per {@code fanout} leaves) and the root, DFS order in the CAR. */
    private record Dag(Cid root, byte[] content, List<Block> dfs, List<Block> leaves) {
    }

    private static Dag dag(int leaves, int fanout, long seed) {
        Random rnd = new Random(seed);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        List<Block> dfs = new ArrayList<>();
        List<Block> all = new ArrayList<>();
        List<PbLink> top = new ArrayList<>();
        List<Long> topSizes = new ArrayList<>();
        List<Block> subtree = new ArrayList<>();
        List<PbLink> links = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            byte[] d = new byte[200 + rnd.nextInt(300)];
            rnd.nextBytes(d);
            d[0] = (byte) i; // no two leaves alike
            d[d.length - 1] = (byte) (i >> 8);
            Block leaf = Block.of(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, d), d);
            content.writeBytes(d);
            subtree.add(leaf);
            all.add(leaf);
            links.add(new PbLink(leaf.cid(), "", (long) d.length));
            sizes.add((long) d.length);
            if (links.size() == fanout || i == leaves - 1) {
                long total = sizes.stream().mapToLong(Long::longValue).sum();
                Block node = fileNode(links, sizes, total);
                dfs.add(node);
                dfs.addAll(subtree);
                top.add(new PbLink(node.cid(), "", total));
                topSizes.add(total);
                subtree.clear();
                links = new ArrayList<>();
                sizes = new ArrayList<>();
            }
        }
        Block root = fileNode(top, topSizes, content.size());
        dfs.add(0, root);
        return new Dag(root.cid(), content.toByteArray(), dfs, all);
    }

    private static Block fileNode(List<PbLink> links, List<Long> sizes, long total) {
        byte[] node = DagPb.encode(new PbNode(links, UnixFsData.builder(UnixFsData.Type.FILE).filesize(total)
                .blocksizes(sizes.stream().mapToLong(Long::longValue).toArray()).build().encode()));
        return Block.of(Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, node), node);
    }

    private Path car(Dag dag, String name, Block leftOut) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            CarWriter w = CarWriter.create(out, List.of(dag.root()));
            for (Block b : dag.dfs()) {
                if (b != leftOut) {
                    w.write(b);
                }
            }
            w.flush();
        }
        return p;
    }

    /** Flips the last data byte of {@code leaf}'s section in {@code file} (the CID is left alone). */
    private static void damage(Path file, Block leaf) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] cid = leaf.cid().toBytes();
        int at = lastIndexOf(all, cid); // its section, after its parent's link to it
        assertTrue(at > 0, "the leaf's CID is in the file");
        int last = at + cid.length + leaf.data().length - 1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (all[last] ^ 0x5a)}), last);
        }
    }

    private static int lastIndexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] read(BlockSource source, Cid root) throws IOException {
        UnixFsReader r = new UnixFsReader(source);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        r.transferTo(r.load(root), got, n -> { });
        return got.toByteArray();
    }

    @Test
    void aScannedCarFileGivesEveryByteOnItsThreadsAndOnTheCallers() throws Exception {
        Dag dag = dag(12000, 174, 1);
        Path car = car(dag, "x.car", null);
        for (int threads : new int[] {0, 1, 2}) {
            try (CarFileSource src = CarFileSource.open(car, CarReaderOptions.DEFAULTS, threads)) {
                assertArrayEquals(dag.content(), read(src, dag.root()), threads + " threads");
            }
        }
    }

    /** A CAR file source that counts the runs it is handed and the leaves in them. */
    private static final class Counting implements BlockSource, DataReader {
        final CarFileSource src;
        int runs;
        int leaves;

        Counting(CarFileSource src) {
            this.src = src;
        }

        @Override
        public Block get(Cid cid) throws IOException {
            return src.get(cid);
        }

        @Override
        public CompletableFuture<ByteBuffer> readData(Cid cid, ByteBuffer into) {
            return src.readData(cid, into);
        }

        @Override
        public void readData(DataReads reads) {
            runs++;
            leaves += reads.size();
            src.readData(reads);
        }
    }

    @Test
    void aLongFileGoesInRunsOfANodesLeavesAndAShortOneLeafByLeaf() throws Exception {
        Dag big = dag(12000, 174, 5);
        try (CarFileSource src = CarFileSource.open(car(big, "big.car", null), CarReaderOptions.DEFAULTS, 2)) {
            Counting c = new Counting(src);
            assertArrayEquals(big.content(), read(c, big.root()));
            assertEquals(12000, c.leaves, "every leaf in a run");
            // A run is handed over when it holds 256 leaves or before the next node of leaves is
            // loaded (so a CAR read without an index meets that node after them): one run a node.
            assertEquals((12000 + 173) / 174, c.runs, "a run for each node's 174 leaves");
        }
        Dag small = dag(500, 174, 6); // ~175 KB: under a MiB
        try (CarFileSource src = CarFileSource.open(car(small, "small.car", null), CarReaderOptions.DEFAULTS, 2)) {
            Counting c = new Counting(src);
            assertArrayEquals(small.content(), read(c, small.root()));
            assertEquals(0, c.runs, "a short file's leaves are read at once, here");
        }
    }

    @Test
    void theStoreGivesEveryByteAndARangeAcrossRuns() throws Exception {
        Dag dag = dag(12000, 174, 2);
        Path car = car(dag, "x.car", null);
        try (CarStore store = CarStore.open(dir.resolve("store"))) {
            store.importCar(car);
            BlockSource src = store.source(dag.root());
            assertArrayEquals(dag.content(), read(src, dag.root()));
            // A range from inside one run to inside another, then a seek back: runs in flight are dropped.
            UnixFsReader r = new UnixFsReader(src);
            try (UnixFsFile f = r.open(r.load(dag.root()))) {
                int from = dag.content().length / 3;
                int to = dag.content().length * 2 / 3;
                f.position(from).limit(to);
                ByteBuffer part = ByteBuffer.allocate(to - from);
                byte[] first = new byte[100];
                ByteBuffer head = ByteBuffer.wrap(first);
                while (head.hasRemaining()) {
                    f.read(head);
                }
                f.position(from);
                while (part.hasRemaining() && f.read(part) > 0) {
                    // reads on
                }
                assertArrayEquals(java.util.Arrays.copyOfRange(dag.content(), from, to), part.array());
                assertArrayEquals(java.util.Arrays.copyOfRange(dag.content(), from, from + 100), first);
            }
        }
    }

    @Test
    void aLeafThatFailsItsHashInTheMiddleOfARunIsNamed() throws Exception {
        Dag dag = dag(12000, 174, 3);
        Block bad = dag.leaves().get(5234);
        Path car = car(dag, "x.car", null);
        damage(car, bad);
        try (CarFileSource src = CarFileSource.open(car, CarReaderOptions.DEFAULTS, 2)) {
            CarException e = assertThrows(CarException.class, () -> read(src, dag.root()));
            assertTrue(e.getMessage().contains(bad.cid().toString()), e.getMessage());
        }
        // The same in a store's CAR, damaged after it was imported.
        Path clean = car(dag, "clean.car", null);
        try (CarStore store = CarStore.open(dir.resolve("store"))) {
            store.importCar(clean);
            Path stored;
            try (var files = Files.list(dir.resolve("store").resolve("cars"))) {
                stored = files.filter(p -> p.toString().endsWith(".car")).findFirst().orElseThrow();
            }
            damage(stored, bad);
            CarException e = assertThrows(CarException.class, () -> read(store.source(dag.root()), dag.root()));
            assertTrue(e.getMessage().contains(bad.cid().toString()), e.getMessage());
        }
    }

    @Test
    void aMissingLeafInTheMiddleOfARunIsNamed() throws Exception {
        Dag dag = dag(12000, 174, 4);
        Block gone = dag.leaves().get(9222);
        Path car = car(dag, "x.car", gone);
        try (CarFileSource src = CarFileSource.open(car, CarReaderOptions.DEFAULTS, 2)) {
            MissingBlockException e = assertThrows(MissingBlockException.class, () -> read(src, dag.root()));
            assertEquals(gone.cid(), e.cid());
        }
    }

    @Test
    void runsOfAChainAreDoneInOrderEachStartingWhereTheOneBeforeEnded() throws Exception {
        Object source = new Object();
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        Executor pool = dev.cartool.io.Workers.lane(2);
        DataReads first = new DataReads(4);
        DataReads second = new DataReads(4, first);
        DataReads third = new DataReads(4, second);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        long[] seen = new long[3];
        first.inTurn(pool, () -> {
            gate.join(); // held until the others are queued behind it
            order.add(1);
            first.endedAt(source, 100);
            first.done().complete(null);
        });
        second.inTurn(pool, () -> {
            order.add(2);
            seen[1] = second.startSource() == source ? second.startOffset() : -1;
            second.endedAt(source, 200);
            second.done().complete(null);
        });
        third.inTurn(pool, () -> {
            order.add(3);
            seen[2] = third.startSource() == source ? third.startOffset() : -1;
            third.done().complete(null);
        });
        gate.complete(null);
        third.done().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of(1, 2, 3), order);
        assertEquals(100, seen[1]);
        assertEquals(200, seen[2]);
        assertNull(third.previous(), "a done run is let go");
    }

    @Test
    void anOutcomeIsTheBufferNullOrTheFailureAsThrown() throws Exception {
        byte[] d = {1, 2, 3};
        Cid held = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, d);
        Cid absent = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {9});
        Cid broken = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {7});
        DataReader reader = (cid, into) -> {
            if (cid.equals(held)) {
                into.clear();
                return CompletableFuture.completedFuture(into.put(d).flip());
            }
            if (cid.equals(broken)) {
                return CompletableFuture.failedFuture(new IOException("hash mismatch in " + cid));
            }
            return CompletableFuture.completedFuture(null);
        };
        DataReads reads = new DataReads(3);
        ByteBuffer buf = ByteBuffer.allocate(8);
        reads.add(held, buf);
        reads.add(absent, ByteBuffer.allocate(8));
        reads.add(broken, ByteBuffer.allocate(8));
        assertTrue(reads.isFull());
        reader.readData(reads);
        assertTrue(reads.done().isDone());
        assertSame(buf, reads.outcome(0));
        assertEquals(3, reads.outcome(0).remaining());
        assertNull(reads.outcome(1));
        IOException e = assertThrows(IOException.class, () -> reads.outcome(2));
        assertTrue(e.getMessage().contains(broken.toString()));
        assertThrows(IllegalStateException.class, () -> reads.add(held, buf));
    }
}
