package dev.cartool.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.FileRegions;
import dev.cartool.car.CarFileSource;
import dev.cartool.cid.Cid;
import dev.cartool.dagpb.DagPb;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.importer.DagNode;

/**
 * A {@code format=raw} block larger than a response answered on the selector thread is read
 * (and hashed) by a worker: the thread that serves every connection never waits on a 256 KiB
 * read and hash. A small block is still answered there.
 */
class RawOnWorkerTest {
    /** Records which thread reads each block. */
    private static final class Watched implements BlockSource, FileRegions {
        final CarFileSource in;
        final List<String> reads = new CopyOnWriteArrayList<>();

        Watched(CarFileSource in) {
            this.in = in;
        }

        @Override
        public Block get(Cid cid) throws IOException {
            reads.add(cid + " " + Thread.currentThread().getName());
            return in.get(cid);
        }

        @Override
        public Region checkedRegion(Cid cid) throws IOException {
            return in.checkedRegion(cid);
        }

        @Override
        public long dataLength(Cid cid) throws IOException {
            return in.dataLength(cid);
        }

        /** The threads that read {@code cid}, in order. */
        List<String> readsOf(Cid cid) {
            return reads.stream().filter(s -> s.startsWith(cid + " ")).map(s -> s.substring(s.indexOf(' ') + 1)).toList();
        }

        /** {@code cid} was read, and never by the selector thread. */
        void readOnlyByWorkers(Cid cid) {
            assertFalse(readsOf(cid).isEmpty(), cid + " was never read: " + reads);
            assertTrue(readsOf(cid).stream().noneMatch(SELECTOR::equals), reads.toString());
        }

        /** {@code cid} (a small block) was read by the selector thread. */
        void readOnSelector(Cid cid) {
            assertTrue(readsOf(cid).contains(SELECTOR), cid + " was resolved on the selector thread: " + reads);
        }
    }

    private static final String SELECTOR = "car-gateway-accept";

    @Test
    void aLargeRawBlockAtTheEndOfAPathIsReadByAWorker(@TempDir Path tmp) throws Exception {
        // A directory holding a 100,000-byte file: one raw leaf, linked from a small directory.
        Path dir = Files.createDirectories(tmp.resolve("in"));
        byte[] big = new byte[100_000];
        new java.util.Random(7).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        Path carPath = tmp.resolve("x.car");
        DagNode root = Fixtures.packed(dir, carPath);
        try (CarFileSource car = CarFileSource.open(carPath)) {
            Watched source = new Watched(car);
            Cid leaf = DagPb.decode(car.get(root.cid()).data()).links().get(0).hash();
            assertEquals(100_000, car.dataLength(leaf));
            try (Gateway g = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 4, s -> { })) {
                g.start();
                HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + root.cid() + "/big.bin?format=raw")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertArrayEquals(big, r.body());
            }
            source.readOnlyByWorkers(leaf);
            source.readOnSelector(root.cid());
        }
    }

    /**
     * A directory node over 16 KiB on the way (700 entries with long names: ~60 KB, under the
     * size at which Kubo shards) is read by a worker the first time; the small root is still
     * resolved on the selector thread, and the file's bytes come back.
     */
    @Test
    void aLargeDirectoryOnThePathIsReadByAWorker(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in").resolve("bigdir"));
        for (int i = 0; i < 700; i++) {
            Files.writeString(dir.resolve(String.format("a-file-with-a-rather-long-name-%04d.txt", i)), "file " + i + "\n");
        }
        Path carPath = tmp.resolve("x.car");
        DagNode root = Fixtures.packed(tmp.resolve("in"), carPath);
        try (CarFileSource car = CarFileSource.open(carPath)) {
            Watched source = new Watched(car);
            Cid big = DagPb.decode(car.get(root.cid()).data()).links().get(0).hash();
            assertTrue(car.dataLength(big) > Exchange.INLINE_MAX, "bigdir is " + car.dataLength(big) + " bytes");
            assertTrue(car.dataLength(root.cid()) < Exchange.INLINE_MAX);
            try (Gateway g = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 4, s -> { })) {
                g.start();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + root.cid()
                        + "/bigdir/a-file-with-a-rather-long-name-0123.txt")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("file 123\n", r.body());
            }
            source.readOnlyByWorkers(big);
            source.readOnSelector(root.cid());
        }
    }

    /**
     * A small range of a large leaf not checked before: the answer would fit in memory, but the
     * leaf (256 KiB) is read and hashed by a worker. Asked again, the checked leaf is sent from
     * its file, not read at all; the bytes are the JS stack's both times.
     */
    @Test
    void aSmallRangeOfALargeUncheckedLeafIsReadByAWorker() throws Exception {
        byte[] whole;
        Cid leaf;
        try (CarFileSource other = CarFileSource.open(Fixtures.testdata("lolcow.car"))) { // what the leaf holds
            leaf = DagPb.decode(other.get(other.header().roots().get(0)).data()).links().get(0).hash();
            whole = new byte[(int) other.dataLength(leaf)];
            other.get(leaf).dataBuffer().get(whole);
        }
        try (CarFileSource car = CarFileSource.open(Fixtures.testdata("lolcow.car"))) {
            Watched source = new Watched(car);
            Cid root = car.header().roots().get(0);
            try (Gateway g = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 4, s -> { })) {
                g.start();
                for (int i = 0; i < 2; i++) {
                    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + root))
                            .header("Range", "bytes=1000-8999").build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(206, r.statusCode());
                    assertArrayEquals(java.util.Arrays.copyOfRange(whole, 1000, 9000), r.body(), "time " + i);
                }
            }
            assertEquals(1, source.readsOf(leaf).size(), "read once, then sent from its file: " + source.reads);
            source.readOnlyByWorkers(leaf);
        }
    }

    @Test
    void theStoreSaysABlocksLengthFromItsHead(@TempDir Path tmp) throws Exception {
        try (CarFileSource car = CarFileSource.open(Fixtures.testdata("lolcow.car"));
                dev.cartool.store.CarStore store = dev.cartool.store.CarStore.open(tmp.resolve("store"))) {
            store.importCar(Fixtures.testdata("lolcow.car"));
            Cid root = car.header().roots().get(0);
            Cid leaf = DagPb.decode(car.get(root).data()).links().get(0).hash();
            FileRegions view = (FileRegions) store.source(root).snapshot();
            assertEquals(262_144, view.dataLength(leaf));
            assertEquals(car.get(root).length(), view.dataLength(root));
            assertEquals(-1, view.dataLength(Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256,
                    new byte[] {1, 2, 3})), "a block the store does not hold");
            assertEquals(-1, car.dataLength(Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256,
                    new byte[] {1, 2, 3})));
        }
    }

    @Test
    void aLargeRawBlockIsReadByAWorkerASmallOneOnTheSelectorThread() throws Exception {
        try (CarFileSource car = CarFileSource.open(Fixtures.testdata("lolcow.car"))) {
            Watched source = new Watched(car);
            Cid root = car.header().roots().get(0);
            Cid leaf = DagPb.decode(car.get(root).data()).links().get(0).hash();
            assertEquals(262_144, car.dataLength(leaf));
            assertTrue(car.dataLength(root) < Exchange.INLINE_MAX);
            try (Gateway g = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 4, s -> { })) {
                g.start();
                for (Cid cid : List.of(leaf, root)) {
                    // A client each: a worker that served a connection keeps it for a moment.
                    HttpClient http = HttpClient.newHttpClient();
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + cid + "?format=raw")).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, r.statusCode());
                    assertArrayEquals(car.get(cid).data(), r.body());
                }
            }
            source.readOnlyByWorkers(leaf);
            source.readOnSelector(root);
        }
    }
}
