package dev.cartool.unixfs.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.block.BlockSource;
import dev.cartool.block.HashMismatchException;
import dev.cartool.block.MissingBlockException;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarStreamSource;
import dev.cartool.car.ParallelVerifier;
import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.PathNotFoundException;
import dev.cartool.unixfs.UnixFsData;
import dev.cartool.unixfs.UnixFsException;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import dev.cartool.unixfs.extract.Extractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtractorTest {
    @TempDir
    Path tmp;

    static JsonNode fixture(String name) {
        return Fixtures.json("fixtures.json").get("files").get(name);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String sha256(Path p) throws Exception {
        return sha256(Files.readAllBytes(p));
    }

    private Extractor.Result extract(Path car, Path out) throws IOException {
        try (CarFileSource src = CarFileSource.open(car)) {
            UnixFsReader r = new UnixFsReader(src);
            return new Extractor(r, false, null).extract(r.load(src.header().roots().get(0)), out, false);
        }
    }

    /**
     * A file root large enough to be written past the page cache comes out byte for byte, whether
     * its leaves divide the writer's 4 MiB blocks (read in place) or cross them (copied): chunks
     * of 256 KiB and of 999,983 bytes (a prime), and a last leaf shorter than the rest.
     */
    @ParameterizedTest
    @ValueSource(ints = {262144, 999983})
    void aLargeFileComesOutWholeWhateverItsLeaves(int chunk) throws Exception {
        Path in = tmp.resolve("image.bin");
        byte[] data = new byte[(int) dev.cartool.io.AlignedWriter.BYPASS_CACHE_FROM + 3 * 999983 + 12345];
        new java.util.SplittableRandom(chunk).nextBytes(data);
        Files.write(in, data);
        Path car = tmp.resolve("image.car");
        try (dev.cartool.unixfs.importer.Importer imp = new dev.cartool.unixfs.importer.Importer(
                dev.cartool.unixfs.importer.ImportProfile.KUBO, 1, false, 2).chunkSize(chunk)) {
            dev.cartool.unixfs.pack.FilePacker.pack(imp, in, null, car, false);
        }
        Path out = tmp.resolve("out.bin");
        extract(car, out);
        assertArrayEquals(data, Files.readAllBytes(out));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of("image.bin", "image.car", "out.bin"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "nothing left behind");
        }
    }

    /**
     * Without a mode in the DAG, what comes out has the permissions any new file or directory
     * gets here (the umask's), as with ipfs get and go-car: not the 0600/0700 of a temp file.
     */
    @Test
    void withoutAModeOutputsGetTheUsualPermissions() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path probeFile = Files.createFile(tmp.resolve("probe-file"));
        Path probeDir = Files.createDirectory(tmp.resolve("probe-dir"));
        Path sif = tmp.resolve("lolcow.sif");
        extract(Fixtures.testdata("lolcow.car"), sif);
        assertEquals(Files.getPosixFilePermissions(probeFile), Files.getPosixFilePermissions(sif));
        Path dir = tmp.resolve("wrapped");
        extract(Fixtures.testdata("lolcow-wrapped.car"), dir);
        assertEquals(Files.getPosixFilePermissions(probeDir), Files.getPosixFilePermissions(dir));
        assertEquals(Files.getPosixFilePermissions(probeFile), Files.getPosixFilePermissions(dir.resolve("lolcow.sif")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lolcow.car", "lolcow-leaves-first.car", "lolcow-cidv0.car", "lolcow-ipfs-car.car",
        "zeros-kubo.car", "zeros-v1-2025.car"})
    void filesComeOutByteExact(String name) throws Exception {
        JsonNode content = fixture(name).get("content");
        Path out = tmp.resolve("out.bin");
        Extractor.Result r = extract(Fixtures.testdata(name), out);
        assertEquals(content.get("size").asLong(), Files.size(out));
        assertEquals(content.get("sha256").asText(), sha256(out));
        assertEquals(1, r.files());
        assertEquals(content.get("size").asLong(), r.bytes());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no temp file left");
        }
    }

    @Test
    void everyRandomContentAndLayoutComesOutExact() throws Exception {
        int n = 0;
        for (JsonNode c : fixture("random").get("cases")) {
            Path out = tmp.resolve("r" + n++);
            extract(Fixtures.testdata(c.get("file").asText()), out);
            assertEquals(c.get("size").asLong(), Files.size(out), c.get("file").asText());
            assertEquals(c.get("sha256").asText(), sha256(out), c.get("file").asText());
        }
        assertEquals(28, n);
    }

    @Test
    void aStreamInDfsOrderExtractsInOnePass() throws Exception {
        for (String name : List.of("lolcow.car", "lolcow-cidv0.car", "zeros-kubo.car")) {
            try (InputStream in = Files.newInputStream(Fixtures.testdata(name));
                    CarStreamSource src = new CarStreamSource(ParallelVerifier.of(CarReader.open(in,
                            CarReaderOptions.DEFAULTS.trusting())), CarStreamSource.DEFAULT_CACHE_BYTES)) {
                UnixFsReader r = new UnixFsReader(src);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                new Extractor(r, false, null).writeContent(r.load(src.header().roots().get(0)), out);
                assertEquals(fixture(name).get("content").get("sha256").asText(), sha256(out.toByteArray()), name);
            }
        }
    }

    @Test
    void aLeavesFirstStreamThatOutgrowsTheCacheIsNamedAsSuch() throws Exception {
        try (InputStream in = Files.newInputStream(Fixtures.testdata("lolcow-leaves-first.car"));
                CarStreamSource src = new CarStreamSource(CarReader.open(in), 1000)) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode root = r.load(src.header().roots().get(0));
            CarException e = assertThrows(CarException.class,
                    () -> new Extractor(r, false, null).writeContent(root, new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains("not in DFS order"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tree.car", "tree-leaves-first.car"})
    void treeComesOutWithDirectoriesModesMtimesSymlinksAndTheShardedDirectory(String name) throws Exception {
        JsonNode expected = fixture("tree.car");
        Path out = tmp.resolve("t");
        Extractor.Result r = extract(Fixtures.testdata(name), out);
        for (JsonNode d : expected.get("directories")) {
            assertTrue(Files.isDirectory(out.resolve(d.asText()), LinkOption.NOFOLLOW_LINKS), d.asText());
        }
        try (Stream<Path> s = Files.list(out.resolve("tree/a/empty"))) {
            assertEquals(0, s.count());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("files").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            Path p = out.resolve(f.getKey());
            assertEquals(f.getValue().get("sha256").asText(), sha256(p), f.getKey());
            if (!f.getValue().get("mode").isNull()) {
                assertEquals(PosixFilePermissions.toString(Extractor.permissions(f.getValue().get("mode").asInt())),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), f.getKey());
            }
            if (!f.getValue().get("mtime").isNull()) {
                assertEquals(f.getValue().get("mtime").asLong(), Files.getLastModifiedTime(p).toInstant().getEpochSecond());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("symlinks").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> l = it.next();
            Path p = out.resolve(l.getKey());
            assertTrue(Files.isSymbolicLink(p), l.getKey());
            assertEquals(l.getValue().asText(), Files.readSymbolicLink(p).toString());
        }
        Path sharded = out.resolve("tree/sharded");
        int entries = expected.get("shardedEntries").asInt();
        try (Stream<Path> s = Files.list(sharded)) {
            assertEquals(entries, s.count());
        }
        for (int i = 0; i < entries; i += 97) {
            Path f = sharded.resolve(String.format("entry-%05d.txt", i));
            assertEquals(i + "\n", Files.readString(f));
        }
        assertEquals(entries + expected.get("files").size(), r.files());
        assertEquals(2, r.symlinks());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList());
        }
    }

    @Test
    void hamtLookupFindsEveryEntryByItsHashPath() throws Exception {
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("tree.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode dir = r.resolve(src.header().roots().get(0), List.of("tree", "sharded"));
            assertTrue(dir.isHamt());
            List<DirEntry> all = r.entries(dir);
            assertEquals(fixture("tree.car").get("shardedEntries").asInt(), all.size());
            for (DirEntry e : all) {
                assertEquals(e.cid(), r.lookup(dir, e.name()), e.name());
            }
            assertEquals(null, r.lookup(dir, "entry-99999.txt"));
            assertEquals("7\n", new String(r.open(r.resolve(src.header().roots().get(0),
                    List.of("tree", "sharded", "entry-00007.txt"))).position(0).readNBytes(2), StandardCharsets.UTF_8));
        }
    }

    @Test
    void goCarsShardedWikipediaPageIsFoundByPath() throws Exception {
        try (CarFileSource src = CarFileSource.open(Fixtures.goCar("wikipedia-cryptographic-hash-function.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode page = r.resolve(src.header().roots().get(0), List.of("wiki", "Cryptographic_hash_function"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.transferTo(page, out, n -> { });
            assertTrue(out.toString(StandardCharsets.UTF_8).lines()
                    .anyMatch(l -> l.equals("  <title>Cryptographic hash function</title>")));
            // This CAR holds only the path to one page: another name's shard is simply absent.
            assertThrows(MissingBlockException.class,
                    () -> r.resolve(src.header().roots().get(0), List.of("wiki", "No_such_page")));
        }
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("tree.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            PathNotFoundException e = assertThrows(PathNotFoundException.class,
                    () -> r.resolve(src.header().roots().get(0), List.of("tree", "nope")));
            assertTrue(e.getMessage().contains("no entry 'nope'"), e.getMessage());
            UnixFsException notDir = assertThrows(UnixFsException.class,
                    () -> r.resolve(src.header().roots().get(0), List.of("tree", "data.bin", "x")));
            assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
        }
    }

    @Test
    void goCarsSimpleUnixfsAndItsMissingBlocks() throws Exception {
        Path out = tmp.resolve("su");
        Extractor.Result r = extract(Fixtures.goCar("simple-unixfs.car"), out);
        assertEquals(9, r.files());
        for (String f : List.of("a/1/A.txt", "a/2/B.txt", "a/3/C.txt", "b/4/D.txt", "b/5/E.txt", "b/6/F.txt",
                "c/7/G.txt", "c/8/H.txt", "c/9/I.txt")) {
            String expected = f.charAt(0) + f.substring(2, 3) + f.charAt(4);
            assertEquals(expected + "\n", Files.readString(out.resolve(f)), f);
        }
        Path missing = tmp.resolve("missing");
        Path incomplete = Fixtures.goCar("simple-unixfs-missing-blocks.car"); // outside: a skip, not a failure
        MissingBlockException e = assertThrows(MissingBlockException.class, () -> extract(incomplete, missing));
        assertTrue(e.getMessage().contains("b/4"), e.getMessage());
        assertFalse(Files.exists(missing));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no temp directory left");
        }
        try (CarFileSource src = CarFileSource.open(Fixtures.goCar("simple-unixfs-missing-blocks.car"))) {
            UnixFsReader rd = new UnixFsReader(src);
            Extractor.Result p = new Extractor(rd, true, null).extract(rd.load(src.header().roots().get(0)), missing, false);
            assertEquals(6, p.files());
            assertEquals(List.of("b/4", "b/5/E.txt", "b/6"), p.missing());
            assertFalse(Files.exists(missing.resolve("b/5/E.txt")));
            assertTrue(Files.exists(missing.resolve("c/9/I.txt")));
        }
    }

    @Test
    void damageLeavesNothingBehind() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        car[car.length - 5000] ^= 1;
        Path bad = Files.write(tmp.resolve("bad.car"), car);
        Path outDir = Files.createDirectory(tmp.resolve("out"));
        assertThrows(HashMismatchException.class, () -> extract(bad, outDir.resolve("x.sif")));
        assertEmpty(outDir);

        byte[] tree = Fixtures.read(Fixtures.testdata("tree.car"));
        tree[tree.length - 20] ^= 1;
        Path badTree = Files.write(tmp.resolve("badtree.car"), tree);
        assertThrows(CarException.class, () -> extract(badTree, outDir.resolve("t")));
        assertEmpty(outDir);
    }

    @Test
    void sizesThatDisagreeAreRefused() throws Exception {
        // A file node whose blocksizes claim one byte more than its raw leaf holds.
        byte[] leaf = "hello".getBytes(StandardCharsets.US_ASCII);
        Cid leafCid = Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256, leaf);
        UnixFsData bad = UnixFsData.builder(UnixFsData.Type.FILE).filesize(6L).blocksizes(6).build();
        byte[] node = dev.cartool.dagpb.DagPb.encode(new dev.cartool.dagpb.PbNode(
                List.of(new dev.cartool.dagpb.PbLink(leafCid, "", 5L)), bad.encode()));
        Cid root = Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, node);
        BlockSource src = cid -> cid.equals(root) ? dev.cartool.block.Block.of(root, node)
                : cid.equals(leafCid) ? dev.cartool.block.Block.of(leafCid, leaf) : null;
        UnixFsReader r = new UnixFsReader(src);
        UnixFsException e = assertThrows(UnixFsException.class,
                () -> r.transferTo(r.load(root), new ByteArrayOutputStream(), n -> { }));
        assertTrue(e.getMessage().contains("has 5 bytes where its parent says 6"), e.getMessage());

        UnixFsData lying = UnixFsData.builder(UnixFsData.Type.FILE).filesize(9L).blocksizes(5).build();
        byte[] node2 = dev.cartool.dagpb.DagPb.encode(new dev.cartool.dagpb.PbNode(
                List.of(new dev.cartool.dagpb.PbLink(leafCid, "", 5L)), lying.encode()));
        Cid root2 = Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, node2);
        UnixFsReader r2 = new UnixFsReader(cid -> cid.equals(root2) ? dev.cartool.block.Block.of(root2, node2)
                : cid.equals(leafCid) ? dev.cartool.block.Block.of(leafCid, leaf) : null);
        UnixFsException e2 = assertThrows(UnixFsException.class,
                () -> r2.transferTo(r2.load(root2), new ByteArrayOutputStream(), n -> { }));
        assertTrue(e2.getMessage().contains("says filesize 9"), e2.getMessage());
    }

    @Test
    void identityLeavesCarryTheirOwnBytes() throws Exception {
        byte[] inline = "inline-".getBytes(StandardCharsets.US_ASCII);
        Cid id = Cid.v1(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multihash.of(0, inline));
        byte[] tail = "stored".getBytes(StandardCharsets.US_ASCII);
        Cid stored = Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256, tail);
        UnixFsData d = UnixFsData.builder(UnixFsData.Type.FILE).filesize(13L).blocksizes(7, 6).build();
        byte[] node = dev.cartool.dagpb.DagPb.encode(new dev.cartool.dagpb.PbNode(List.of(
                new dev.cartool.dagpb.PbLink(id, "", 7L), new dev.cartool.dagpb.PbLink(stored, "", 6L)), d.encode()));
        Cid root = Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, node);
        java.io.ByteArrayOutputStream car = new java.io.ByteArrayOutputStream();
        try (dev.cartool.car.CarWriter w = dev.cartool.car.CarWriter.create(car, List.of(root))) {
            w.write(root, node);
            w.write(stored, tail);
        }
        Path out = tmp.resolve("id.bin");
        extract(Files.write(tmp.resolve("id.car"), car.toByteArray()), out);
        assertEquals("inline-stored", Files.readString(out));
    }

    /** A directory node by hand, with whatever names a hostile CAR might carry. */
    private static Map.Entry<Cid, BlockSource> hostileDir(List<String> names, Cid target, byte[] targetData) {
        List<dev.cartool.dagpb.PbLink> links = new java.util.ArrayList<>();
        for (String n : names) {
            links.add(new dev.cartool.dagpb.PbLink(target, n, 1L));
        }
        byte[] dir = dev.cartool.dagpb.DagPb.encode(new dev.cartool.dagpb.PbNode(links,
                UnixFsData.builder(UnixFsData.Type.DIRECTORY).build().encode()));
        Cid root = Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, dir);
        BlockSource src = cid -> cid.equals(root) ? dev.cartool.block.Block.of(root, dir)
                : cid.equals(target) ? dev.cartool.block.Block.of(target, targetData) : null;
        return Map.entry(root, src);
    }

    @Test
    void unsafeNamesAndDuplicatesAreRefusedAndNothingIsWritten() throws Exception {
        byte[] data = "x".getBytes(StandardCharsets.US_ASCII);
        Cid file = Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256, data);
        Path outDir = Files.createDirectory(tmp.resolve("out"));
        for (List<String> names : List.of(List.of(".."), List.of("."), List.of(""), List.of("a/b"), List.of("a\0b"),
                List.of("same", "same"))) {
            Map.Entry<Cid, BlockSource> d = hostileDir(names, file, data);
            UnixFsReader r = new UnixFsReader(d.getValue());
            UnixFsException e = assertThrows(UnixFsException.class,
                    () -> new Extractor(r, false, null).extract(r.load(d.getKey()), outDir.resolve("x"), false), names.toString());
            assertTrue(e.getMessage().contains(names.size() == 2 ? "two entries named 'same'" : "unsafe entry name"),
                    e.getMessage());
            assertEmpty(outDir);
        }
        assertFalse(Files.exists(tmp.resolve("b")));
    }

    @Test
    void aSymlinkIsCreatedNotFollowed() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        byte[] link = dev.cartool.dagpb.DagPb.encode(new dev.cartool.dagpb.PbNode(List.of(),
                UnixFsData.builder(UnixFsData.Type.SYMLINK).data(outside.toString().getBytes(StandardCharsets.UTF_8)).build().encode()));
        Cid linkCid = Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, link);
        Map.Entry<Cid, BlockSource> d = hostileDir(List.of("escape"), linkCid, link);
        UnixFsReader r = new UnixFsReader(d.getValue());
        Path out = tmp.resolve("x");
        new Extractor(r, false, null).extract(r.load(d.getKey()), out, false);
        assertTrue(Files.isSymbolicLink(out.resolve("escape")));
        assertEquals(outside.toString(), Files.readSymbolicLink(out.resolve("escape")).toString());
        assertEmpty(outside);
    }

    @Test
    void existingOutputsAreNotClobberedWithoutReplace() throws Exception {
        Path out = Files.writeString(tmp.resolve("keep.sif"), "mine");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> extract(Fixtures.testdata("lolcow.car"), out));
        assertEquals("mine", Files.readString(out));
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Files.writeString(dir.resolve("old"), "old");
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("tree.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode root = r.load(src.header().roots().get(0));
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> new Extractor(r, false, null).extract(root, dir, false));
            assertTrue(Files.exists(dir.resolve("old")));
            new Extractor(r, false, null).extract(root, dir, true);
            // Replacing a directory merges into it: what the CAR does not write stays (issue 9).
            assertEquals("old", Files.readString(dir.resolve("old")));
            assertTrue(Files.isDirectory(dir.resolve("tree/sharded")));
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(2, s.count(), "no .old or temp directories left");
        }
    }

    @Test
    void readRangeMatchesTheWholeFile() throws Exception {
        Path out = tmp.resolve("whole");
        extract(Fixtures.testdata("random/balanced-pb-v0-33333.car"), out);
        byte[] whole = Files.readAllBytes(out);
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("random/balanced-pb-v0-33333.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode f = r.load(src.header().roots().get(0));
            for (int[] rg : new int[][] {{0, 10}, {1020, 10}, {1024, 1024}, {5000, 20000}, {33330, 3}, {0, 33333}}) {
                assertArrayEquals(java.util.Arrays.copyOfRange(whole, rg[0], rg[0] + rg[1]), r.open(f).position(rg[0]).readNBytes(rg[1]));
            }
        }
    }
}
