package dev.cartool.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.cartool.apptainer.ApptainerCache;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarStoreTest {
    @TempDir
    Path tmp;

    private static Cid root(String fixture) throws CidFormatException {
        return Cid.parse(Fixtures.json("fixtures.json").get("files").get(fixture).get("root").asText());
    }

    private static byte[] content(UnixFsReader r, Cid cid) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.transferTo(r.load(cid), out, n -> { });
        return out.toByteArray();
    }

    @Test
    void anIndexRecordThatPointsElsewhereIsNamedNotFollowed() throws Exception {
        Path store = tmp.resolve("store");
        Cid root = root("lolcow.car");
        try (CarStore s = CarStore.open(store)) {
            s.importCar(Fixtures.testdata("lolcow.car"));
        }
        Path idx;
        try (Stream<Path> files = Files.list(store.resolve("cars"))) {
            idx = files.filter(p -> p.toString().endsWith(".idx")).findFirst().orElseThrow();
        }
        // Every record now points at the last section, which holds one block (a leaf, not the root
        // asked for first). A lookup that reads the section after the last one found needs no index
        // and cannot be misled by it; the first lookup, of the root, goes through the lie.
        byte[] bytes = Files.readAllBytes(idx);
        long first;
        try (dev.cartool.car.CarFile f = dev.cartool.car.CarFile.open(
                Path.of(idx.toString().replace(".idx", ".car")))) {
            dev.cartool.car.CarFile.Scan scan = f.scan();
            dev.cartool.car.SectionRef r;
            long last = -1;
            while ((r = scan.next()) != null) {
                last = r.offset();
            }
            first = last;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        for (int at = 16; at < bytes.length; at += 40) {
            b.putLong(at + 32, first);
        }
        Files.write(idx, bytes);
        try (CarStore s = CarStore.open(store)) {
            UnixFsReader r = new UnixFsReader(s.source(root));
            CarException e = assertThrows(CarException.class, () -> r.transferTo(r.load(root),
                    new ByteArrayOutputStream(), n -> { }));
            assertEquals(dev.cartool.error.Kind.MALFORMED, e.kind());
            assertTrue(e.getMessage().contains("the index puts block"), e.getMessage());
            assertEquals(first, e.offset());
        }
    }

    @Test
    void importThenGetEveryBlockByIndexNotByScanning() throws Exception {
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            CarStore.ImportResult a = s.importCar(Fixtures.testdata("lolcow.car"));
            assertFalse(a.alreadyPresent());
            assertEquals(List.of(root("lolcow.car")), a.roots());
            s.importCar(Fixtures.testdata("tree.car"));
            assertEquals(2, s.list().size());
            UnixFsReader r = new UnixFsReader(s.source(root("lolcow.car")));
            String sha = Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("content").get("sha256").asText();
            assertEquals(sha, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content(r, root("lolcow.car")))));
            // A block that is not a root, found through the other CAR's index.
            UnixFsReader any = new UnixFsReader(s.source(null));
            UnixFsNode runSh = any.resolve(root("tree.car"), List.of("tree", "a", "run.sh"));
            assertEquals("#!/bin/sh\necho hi\n", new String(content(any, runSh.cid()), java.nio.charset.StandardCharsets.UTF_8));
            // Importing the same CAR again changes nothing.
            List<Path> before = files(tmp.resolve("store"));
            assertTrue(s.importCar(Fixtures.testdata("lolcow.car")).alreadyPresent());
            assertEquals(before, files(tmp.resolve("store")));
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock")).sorted().toList();
        }
    }

    @Test
    void aCarThatDoesNotVerifyLeavesNoTrace() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        car[car.length - 100] ^= 1;
        Path bad = Files.write(tmp.resolve("bad.car"), car);
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            CarException e = assertThrows(CarException.class, () -> s.importCar(bad));
            assertTrue(e.getMessage().contains("hash mismatch"), e.getMessage());
            assertThrows(CarException.class, () -> s.importCar(Fixtures.testdata("dagcbor-missing-leaf.car")));
            assertEquals(List.of(), s.list());
            assertEquals(List.of(), files(tmp.resolve("store")));
        }
    }

    @Test
    void concurrentImportsAreSafe() throws Exception {
        Path dir = tmp.resolve("store");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (String f : List.of("lolcow.car", "tree.car", "lolcow.car", "zeros-kubo.car", "tree-leaves-first.car", "lolcow-wrapped.car")) {
                fs.add(pool.submit(() -> {
                    try (CarStore s = CarStore.open(dir)) {
                        return s.importCar(Fixtures.testdata(f));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (CarStore s = CarStore.open(dir)) {
            assertEquals(4, s.list().size());
            assertTrue(s.verify().values().stream().allMatch(dev.cartool.car.VerifyReport::ok));
            s.gc();
            long cars = s.list().stream().map(CarStore.RootEntry::car).distinct().count();
            assertEquals(2 * cars, files(dir.resolve("cars")).size(), "only referenced CARs and their indexes remain");
        }
    }

    @Test
    void removeAndGc() throws Exception {
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            s.importCar(Fixtures.testdata("lolcow.car"));
            s.importCar(Fixtures.testdata("zeros-kubo.car"));
            assertTrue(s.remove(root("lolcow.car")));
            assertFalse(s.remove(root("lolcow.car")));
            assertEquals(List.of(root("zeros-kubo.car")), s.list().stream().map(CarStore.RootEntry::root).toList());
            assertEquals(2, files(tmp.resolve("store/cars")).size(), "the removed root's CAR and index are gone");
            // A CAR left without a root (a crash between publishing steps) is collected.
            Files.write(tmp.resolve("store/cars/orphan.car"), new byte[] {1});
            assertEquals(1, s.gc());
            assertEquals(2, files(tmp.resolve("store/cars")).size());
        }
    }

    @Test
    void apptainerCacheLayoutForBareAndWrappedRoots() throws Exception {
        Path cacheDir = tmp.resolve("appc/cache/ipfs");
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            s.importCar(Fixtures.testdata("lolcow.car"));
            s.importCar(Fixtures.testdata("lolcow-wrapped.car"));
            ApptainerCache cache = ApptainerCache.at(cacheDir);
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir)));
            UnixFsReader r = new UnixFsReader(s.source(null));
            Cid bare = root("lolcow.car");
            List<Path> a = cache.place(r, bare, null);
            Path file = cacheDir.resolve(java.util.HexFormat.of().formatHex(bare.multihash().digest()));
            assertEquals(List.of(file), a);
            byte[] expected = content(r, bare);
            assertArrayEquals(expected, Files.readAllBytes(file));

            Cid wrapped = root("lolcow-wrapped.car");
            List<Path> b = cache.place(r, wrapped, null);
            Path link = cacheDir.resolve(ApptainerCache.entryName(wrapped));
            assertTrue(Files.isSymbolicLink(link));
            assertFalse(Files.readSymbolicLink(link).isAbsolute(), "relative symlink");
            assertEquals(file.getFileName(), Files.readSymbolicLink(link));
            assertArrayEquals(expected, Files.readAllBytes(link));
            assertEquals(List.of(file, link), b);
            try (Stream<Path> st = Files.list(cacheDir)) { // the entry and its link: no temporary file left
                assertEquals(java.util.Set.of(file, link), st.collect(java.util.stream.Collectors.toSet()));
            }
        }
    }

    @Test
    void rootsApptainerCannotUseAreRefusedWithTheReason() throws Exception {
        try (CarStore s = CarStore.open(tmp.resolve("store"))) {
            s.importCar(Fixtures.testdata("lolcow-cidv0.car"));
            s.importCar(Fixtures.testdata("lolcow-ipfs-car.car"));
            s.importCar(Fixtures.testdata("tree.car"));
            ApptainerCache cache = ApptainerCache.at(tmp.resolve("c"));
            UnixFsReader r = new UnixFsReader(s.source(null));
            IllegalArgumentException raw = assertThrows(IllegalArgumentException.class,
                    () -> cache.place(r, root("lolcow-ipfs-car.car"), null));
            assertTrue(raw.getMessage().contains("raw"), raw.getMessage());
            IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
                    () -> cache.place(r, root("tree.car"), null));
            assertTrue(many.getMessage().contains("must be named"), many.getMessage());
            try (Stream<Path> st = Files.list(tmp.resolve("c"))) {
                assertEquals(0, st.count());
            }
            // A CIDv0 root is no longer refused (issue 10): its cache key is its digest's hex,
            // the same as its CIDv1's, which is what Apptainer is given.
            assertEquals(1, cache.place(r, root("lolcow-cidv0.car"), null).size());
        }
    }
}
