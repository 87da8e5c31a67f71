package dev.cartool.unixfs.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarWriter;
import dev.cartool.io.AtomicFile;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.UnixFsReader;
import dev.cartool.unixfs.extract.Extractor;
import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.ImportProfile;
import dev.cartool.unixfs.importer.Importer;
import dev.cartool.unixfs.importer.ImporterVectorsTest;
import dev.cartool.unixfs.pack.DagPacker;
import dev.cartool.unixfs.pack.FilePacker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single-read packer writes the bytes the JS stack wrote, and the bytes of the two-pass writer. */
class FilePackerTest {
    @TempDir
    Path tmp;

    private Path extract(String car, String name) throws IOException {
        Path out = tmp.resolve(name);
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata(car))) {
            UnixFsReader r = new UnixFsReader(src);
            new Extractor(r, false, null).extract(r.load(src.header().roots().get(0)), out, false);
        }
        return out;
    }

    private FilePacker.Packed pack(ImportProfile profile, int cidVersion, Path in, String wrap, Path car)
            throws IOException {
        try (Importer imp = new Importer(profile, cidVersion, false, 2); AtomicFile f = AtomicFile.create(car, false)) {
            FilePacker.Packed p = FilePacker.pack(imp, in, wrap, f);
            f.commit();
            return p;
        }
    }

    /** The two-pass writer's CAR of the same import. */
    private byte[] twoPass(ImportProfile profile, int cidVersion, Path in, String wrap) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (Importer imp = new Importer(profile, cidVersion, false, 2)) {
            DagNode root = wrap != null ? imp.importWrapped(List.of(in)) : imp.importPath(in);
            CarWriter w = CarWriter.create(bytes, List.of(root.cid()));
            DagPacker.write(root, w, n -> { });
            w.flush();
        }
        return bytes.toByteArray();
    }

    @Test
    void jsMadeCarsComeOutByteForByte() throws Exception {
        Path sif = extract("lolcow.car", "lolcow.sif");
        Object[][] cases = {
            {"lolcow.car", ImportProfile.KUBO, 1, null, true},
            {"lolcow-wrapped.car", ImportProfile.KUBO, 1, "lolcow.sif", true},
            {"lolcow-cidv0.car", ImportProfile.KUBO, 0, null, true},
        };
        int i = 0;
        for (Object[] c : cases) {
            Path car = tmp.resolve("out" + i++ + ".car");
            FilePacker.Packed p = pack((ImportProfile) c[1], (int) c[2], sif, (String) c[3], car);
            assertEquals(c[4], p.singleRead(), (String) c[0]);
            assertArrayEquals(Files.readAllBytes(Fixtures.testdata((String) c[0])), Files.readAllBytes(car), (String) c[0]);
        }
    }

    @Test
    void repeatedChunksFallBackToTwoPassesWithTheSameResult() throws Exception {
        // One distinct leaf used again and again: the export writes it once, so the plan's offsets
        // are wrong after the first repeat and the packer must notice.
        for (String[] c : new String[][] {{"zeros-kubo.car", "kubo"}, {"zeros-v1-2025.car", "unixfs-v1-2025"}}) {
            Path zeros = extract(c[0], c[0] + ".bin");
            Path car = tmp.resolve(c[0] + ".out");
            FilePacker.Packed p = pack(ImportProfile.of(c[1]), 1, zeros, null, car);
            assertEquals(false, p.singleRead(), c[0]);
            assertArrayEquals(Files.readAllBytes(Fixtures.testdata(c[0])), Files.readAllBytes(car), c[0]);
        }
    }

    @Test
    void aChunkRepeatedLateStillGivesTheExportBytes() throws Exception {
        // Chunks 0-2 are written in place before chunk 3, a copy of chunk 0, turns up.
        int k = ImportProfile.KUBO.chunkSize();
        byte[] data = new byte[6 * k + 100];
        new java.util.SplittableRandom(7).nextBytes(data);
        System.arraycopy(data, 0, data, 3 * k, k);
        Path in = tmp.resolve("late-repeat");
        Files.write(in, data);
        for (int v : new int[] {1, 0}) {
            Path car = tmp.resolve("late-" + v + ".car");
            FilePacker.Packed p = pack(ImportProfile.KUBO, v, in, null, car);
            assertEquals(false, p.singleRead());
            assertArrayEquals(twoPass(ImportProfile.KUBO, v, in, null), Files.readAllBytes(car), "CIDv" + v);
        }
    }

    @Test
    void aLargeFileWithALateRepeatIsRewrittenFromTheStartAfterItsBlocksWentPastTheCache() throws Exception {
        // From 16 MiB the leaves go out past the page cache, 4 MiB at a time; a repeat found
        // after 20 MiB has been written must still leave exactly the export's bytes.
        int k = ImportProfile.KUBO.chunkSize();
        byte[] data = new byte[90 * k + 12_345];
        new java.util.SplittableRandom(11).nextBytes(data);
        System.arraycopy(data, 5 * k, data, 85 * k, k);
        Path in = tmp.resolve("large-late-repeat");
        Files.write(in, data);
        Path car = tmp.resolve("large-late-repeat.car");
        FilePacker.Packed p = pack(ImportProfile.KUBO, 1, in, null, car);
        assertEquals(false, p.singleRead());
        assertArrayEquals(twoPass(ImportProfile.KUBO, 1, in, null), Files.readAllBytes(car));
    }

    @Test
    void theFileWriterOfTheTwoPassRouteWritesWhatTheStreamWriterDoes() throws Exception {
        // JS-made import vectors: trees with empty files (one block used twice), a HAMT, CIDv0.
        int checked = 0;
        for (com.fasterxml.jackson.databind.JsonNode c : Fixtures.json("import-vectors.json").get("cases")) {
            String name = c.get("name").asText();
            if (!name.startsWith("tree-") && !name.startsWith("hamt-3500-kubo")) {
                continue;
            }
            Path dir = tmp.resolve(name);
            List<Path> tops = ImporterVectorsTest.materialize(dir, c.get("entries"));
            try (Importer imp = new Importer(ImportProfile.of(c.get("profile").asText()), c.get("cidVersion").asInt(),
                    false, 2)) {
                DagNode root = c.get("wrap").asBoolean() ? imp.importWrapped(tops) : imp.importPath(tops.get(0));
                assertEquals(c.get("cid").asText(), root.cid().toString(), name);
                java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
                CarWriter w = CarWriter.create(stream, List.of(root.cid()));
                long blocks = DagPacker.write(root, w, n -> { });
                w.flush();
                Path car = tmp.resolve(name + ".car");
                try (AtomicFile f = AtomicFile.create(car, false)) {
                    assertEquals(blocks, DagPacker.write(root, f, n -> { }), name);
                    f.commit();
                }
                assertArrayEquals(stream.toByteArray(), Files.readAllBytes(car), name);
                checked++;
            }
        }
        assertEquals(8, checked);
    }

    @Test
    void sizesAroundChunkAndLayerBoundariesMatchTheTwoPassWriter() throws Exception {
        int k = ImportProfile.KUBO.chunkSize();
        long[] sizes = {0, 1, k - 1, k, k + 1, 2L * k + 3, 174L * k, 174L * k + 1};
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (long size : sizes) {
            Path in = tmp.resolve("in-" + size);
            byte[] data = new byte[(int) size];
            random.nextBytes(data);
            Files.write(in, data);
            for (int v : new int[] {1, 0}) {
                for (String wrap : new String[] {null, in.getFileName().toString()}) {
                    String what = size + " bytes, CIDv" + v + (wrap != null ? ", wrapped" : "");
                    Path car = tmp.resolve("p.car");
                    Files.deleteIfExists(car);
                    FilePacker.Packed p = pack(ImportProfile.KUBO, v, in, wrap, car);
                    assertEquals(true, p.singleRead(), what);
                    assertArrayEquals(twoPass(ImportProfile.KUBO, v, in, wrap), Files.readAllBytes(car), what);
                }
            }
            Files.delete(in);
        }
    }
}
