package dev.cartool.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.cartool.car.VerifyReport;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, store and crash safety. */
class CarStoreSafetyTest {
    @TempDir
    Path tmp;

    private static Cid root(String fixture) throws CidFormatException {
        return Cid.parse(Fixtures.json("fixtures.json").get("files").get(fixture).get("root").asText());
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /** An endless stream that counts what was taken from it. */
    private static final class Endless extends InputStream {
        final byte value;
        long taken;

        Endless(int value) {
            this.value = (byte) value;
        }

        @Override
        public int read() {
            taken++;
            return value & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, value);
            taken += len;
            return len;
        }
    }

    @Test
    void endlessInputIsRefusedAtItsFirstBadLengthNotCopiedWhole() throws Exception {
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            // /dev/zero: a header of length 0. 0xff bytes: a varint that never ends.
            // Random bytes past a valid header: a section length over the limit, or a bad CID.
            for (int v : new int[] {0x00, 0xff, 0x7f}) {
                Endless in = new Endless(v);
                assertThrows(CarException.class, () -> s.importCar(in), "byte " + v);
                assertTrue(in.taken < (64L << 20), "stopped early for byte " + v + ": took " + in.taken);
            }
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            byte[] header = java.util.Arrays.copyOf(Fixtures.read(Fixtures.testdata("lolcow.car")), 59);
            InputStream random = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(header), new InputStream() {
                long left = 10L << 30;

                @Override
                public int read() {
                    return left-- > 0 ? r.nextInt(256) : -1;
                }
            });
            assertThrows(CarException.class, () -> s.importCar(random));
            assertEquals(0, count(tmp.resolve("store/tmp")), "nothing left in tmp/");
            assertEquals(0, count(tmp.resolve("store/cars")));
        }
    }

    /**
     * A damaged CAR file (copied, then verified by position) is refused as the same bytes on a
     * stream are, with the same kind and message, and leaves nothing in the store.
     */
    @Test
    void aDamagedFileIsRefusedAsTheSameStreamIsAndLeavesNothing() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        byte[] flipped = car.clone();
        flipped[car.length / 2] ^= 1; // inside the large leaf
        byte[] cut = java.util.Arrays.copyOf(car, car.length - 100);
        byte[] badHead = car.clone();
        badHead[0] = (byte) 0xff; // the header's length varint
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            for (byte[] bad : List.of(flipped, cut, badHead)) {
                Path f = Files.write(tmp.resolve("bad.car"), bad);
                CarException byStream = assertThrows(CarException.class,
                        () -> s.importCar(new java.io.ByteArrayInputStream(bad)));
                CarException byFile = assertThrows(CarException.class, () -> s.importCar(f));
                assertEquals(byStream.kind(), byFile.kind());
                assertEquals(byStream.getMessage(), byFile.getMessage());
                assertEquals(0, count(tmp.resolve("store/tmp")), "nothing left in tmp/");
                assertEquals(0, count(tmp.resolve("store/cars")));
            }
            // The sound file goes in by position and reads back whole.
            s.importCar(Fixtures.testdata("lolcow.car"));
            assertTrue(s.hasRoot(root("lolcow.car")));
        }
    }

    @Test
    void anEmptyRootFileIsNamedAndTheOtherRootsStayUsable() throws Exception {
        Path dir = tmp.resolve("store");
        try (CarStore s = CarStore.open(dir)) {
            s.importCar(Fixtures.testdata("lolcow.car"));
            s.importCar(Fixtures.testdata("tree.car"));
        }
        Path broken = dir.resolve("roots").resolve(root("tree.car").toString());
        Files.write(broken, new byte[0]); // what a power cut before the data reached the disk leaves
        try (CarStore s = CarStore.open(dir)) {
            assertEquals(List.of(root("lolcow.car")), s.list().stream().map(CarStore.RootEntry::root).toList());
            assertFalse(s.hasRoot(root("tree.car")));
            List<String> damaged = s.damagedRoots();
            assertEquals(1, damaged.size());
            assertTrue(damaged.get(0).contains(broken.toString()) && damaged.get(0).contains("empty"), damaged.get(0));
            Map<String, VerifyReport> v = s.verify();
            assertTrue(v.values().stream().anyMatch(r -> !r.ok()), v.toString());
            assertTrue(s.source(null).get(root("lolcow.car")) != null);
            // Importing the CAR again repairs it.
            assertFalse(s.importCar(Fixtures.testdata("tree.car")).alreadyPresent());
            assertTrue(s.hasRoot(root("tree.car")));
            assertEquals(List.of(), s.damagedRoots());
            s.gc();
            assertTrue(s.verify().values().stream().allMatch(VerifyReport::ok));
        }
    }

    @Test
    void verifyChecksEachIndexAgainstItsCar() throws Exception {
        Path dir = tmp.resolve("store");
        try (CarStore s = CarStore.open(dir)) {
            s.importCar(Fixtures.testdata("tree.car"));
            assertTrue(s.verify().values().stream().allMatch(VerifyReport::ok));
        }
        Path idx;
        try (Stream<Path> st = Files.list(dir.resolve("cars"))) {
            idx = st.filter(p -> p.toString().endsWith(".idx")).findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(idx);
        Files.write(idx, java.util.Arrays.copyOf(whole, whole.length - 40));
        try (CarStore s = CarStore.open(dir)) {
            VerifyReport r = s.verify().values().iterator().next();
            assertFalse(r.ok());
            assertTrue(r.problems().get(0).message().contains(idx.toString()), r.problems().toString());
        }
        byte[] swapped = whole.clone();
        swapped[whole.length - 1] ^= 1; // the last record's offset, one off
        Files.write(idx, swapped);
        try (CarStore s = CarStore.open(dir)) {
            VerifyReport r = s.verify().values().iterator().next();
            assertTrue(r.problems().get(0).message().contains("does not match the CAR"), r.problems().toString());
        }
    }

    @Test
    void parallelImportsOfOneCarKeepOneCopy() throws Exception {
        Path dir = tmp.resolve("store");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (CarStore s = CarStore.open(dir)) {
            List<Future<CarStore.ImportResult>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(pool.submit(() -> s.importCar(Fixtures.testdata("tree.car"))));
            }
            for (Future<CarStore.ImportResult> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(2, count(dir.resolve("cars")), "one .car and its .idx");
        assertEquals(0, count(dir.resolve("tmp")));
    }

    @Test
    void anEmptyCarStoreVariableIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> CarStore.defaultDirectory(Map.of("CAR_STORE", "")));
        assertEquals(Path.of("/x"), CarStore.defaultDirectory(Map.of("CAR_STORE", "/x", "XDG_DATA_HOME", "/y")));
    }

    @Test
    void anIndexWhoseCountOverflowsIsRefused() {
        // Found by BlockIndexFuzzProperties: a count of 0x40000000000000c8 records times 40 bytes
        // overflowed to the file's size, and a search then read at a negative position.
        Path idx = Fixtures.projectDir().resolve("testdata/regressions/store-index-count-overflow.idx");
        CarException e = assertThrows(CarException.class, () -> BlockIndex.open(idx).close());
        assertTrue(e.getMessage().contains("not a valid block index"), e.getMessage());
    }

    @Test
    void theStoresSourceReadsLikeACarFileOnTheFastPaths() throws Exception {
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            s.importCar(Fixtures.testdata("lolcow.car"));
            dev.cartool.block.BlockSource src = s.source(null);
            assertTrue(src instanceof dev.cartool.block.DataReader, "get and serve read leaves into direct buffers");
            Cid leaf = Cid.parse(Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("blocks").get(1).asText());
            byte[] viaGet = src.get(leaf).data();
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(1 << 18);
            java.nio.ByteBuffer read = ((dev.cartool.block.DataReader) src).readData(leaf, buf).get();
            byte[] viaRead = new byte[read.remaining()];
            read.get(viaRead);
            assertTrue(java.util.Arrays.equals(viaGet, viaRead));
            assertTrue(java.util.Arrays.equals(viaGet, src.fetch(leaf).get().data()));
            // The CIDv0 form of the stored CIDv1 root finds it, under the CID asked for.
            Cid root = root("lolcow.car");
            Cid v0 = Cid.v0(root.multihash());
            assertEquals(v0, src.get(v0).cid());
            assertEquals(null, src.get(Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyka")));
        }
    }

    @Test
    void aFailedImportKeepsTheKindOfItsProblemAndTheIndexComesFromTheVerifyingPass() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        car[car.length - 10] ^= 1;
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            CarException e = assertThrows(CarException.class, () -> s.importCar(new java.io.ByteArrayInputStream(car)));
            assertEquals(Kind.HASH_MISMATCH, e.kind(), e.getMessage());
            s.importCar(Fixtures.testdata("tree.car"));
            // The index built while verifying is exactly the one a scan of the stored CAR gives.
            assertTrue(s.verify().values().stream().allMatch(VerifyReport::ok), s.verify().toString());
        }
    }
}
