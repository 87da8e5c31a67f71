package dev.cartool.unixfs.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.ImportProfile;
import dev.cartool.unixfs.importer.Importer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ../shared/vectors/unixfs-cids.json: root CIDs the JS importer computes; every row must match. */
public class ImporterVectorsTest {
    @TempDir
    Path tmp;

    /** Writes a vector's content recipe: zeros:N or splitmix:SEED:N (SplittableRandom longs, LE). */
    static Path content(Path dir, String recipe, String name) throws IOException {
        String[] p = recipe.split(":");
        Path f = dir.resolve(name);
        Files.createDirectories(dir);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
            if (p[0].equals("zeros")) {
                long n = Long.parseLong(p[1]);
                byte[] z = new byte[65536];
                for (long left = n; left > 0; left -= z.length) {
                    out.write(z, 0, (int) Math.min(z.length, left));
                }
            } else {
                SplittableRandom r = new SplittableRandom(Long.parseLong(p[1]));
                long n = Long.parseLong(p[2]);
                byte[] b = new byte[8];
                for (long i = 0; i < n; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8; k++) {
                        b[k] = (byte) (v >>> (8 * k));
                    }
                    out.write(b, 0, (int) Math.min(8, n - i));
                }
            }
        }
        return f;
    }

    /** Builds a case's tree under {@code dir}; returns the top-level paths. */
    public static List<Path> materialize(Path dir, JsonNode entries) throws IOException {
        java.util.LinkedHashSet<Path> tops = new java.util.LinkedHashSet<>();
        if (entries.has("many")) {
            int n = entries.get("many").asInt();
            Path big = Files.createDirectories(dir.resolve("big"));
            for (int i = 0; i < n; i++) {
                Files.writeString(big.resolve(String.format("file-with-a-long-descriptive-name-%04d.txt", i)), i + "\n");
            }
            return List.of(big);
        }
        for (JsonNode e : entries) {
            String path = e.get("path").asText();
            String content = e.get("content").asText();
            Path p = dir.resolve(path);
            tops.add(dir.resolve(path.split("/")[0]));
            if (content.equals("dir")) {
                Files.createDirectories(p);
            } else if (content.startsWith("text:")) {
                Files.createDirectories(p.getParent());
                Files.writeString(p, content.substring(5));
            } else {
                content(p.getParent(), content, p.getFileName().toString());
            }
        }
        return List.copyOf(tops);
    }

    @Test
    void everyJsMadeImportVectorMatches() throws Exception {
        int n = 0;
        for (JsonNode c : Fixtures.json("import-vectors.json").get("cases")) {
            Path dir = tmp.resolve("c" + n++);
            List<Path> tops = materialize(dir, c.get("entries"));
            ImportProfile profile = ImportProfile.of(c.get("profile").asText());
            try (Importer imp = new Importer(profile, c.get("cidVersion").asInt(), false, 2)) {
                DagNode root = c.get("wrap").asBoolean() ? imp.importWrapped(tops) : imp.importPath(tops.get(0));
                assertEquals(c.get("cid").asText(), root.cid().toString(), c.get("name").asText());
            }
        }
        assertEquals(23, n);
    }

    /** testdata/import-vectors-chunker.json: ipfs add --chunker=size-N, by the JS importer. */
    @Test
    void otherChunkSizesMatchTheJsImporter() throws Exception {
        int n = 0;
        for (JsonNode c : Fixtures.json("import-vectors-chunker.json").get("cases")) {
            Path f = content(tmp.resolve("k" + n++), c.get("content").asText(), "f");
            int chunk = Integer.parseInt(c.get("chunker").asText().substring("size-".length()));
            try (Importer imp = new Importer(ImportProfile.KUBO, c.get("cidVersion").asInt(), false, 2).chunkSize(chunk)) {
                assertEquals(c.get("cid").asText(), imp.importPath(f).cid().toString(), c.get("name").asText());
            }
        }
        assertEquals(5, n);
    }

    /**
     * testdata/import-vectors-large.json (testdata/large-vectors.mjs): files of 174*174 chunks and
     * one byte more (the third layer of Kubo's balanced tree, 7.4 GiB) and one past a full
     * unixfs-v1-2025 node. The zeros are read from sparse files, so they cost hashing time only.
     */
    @Test
    void largeJsMadeVectorsMatch() throws Exception {
        int n = 0;
        for (JsonNode c : Fixtures.json("import-vectors-large.json").get("cases")) {
            String[] recipe = c.get("entries").get(0).get("content").asText().split(":");
            assertEquals("zeros", recipe[0]);
            long size = Long.parseLong(recipe[1]);
            assumeTrue(Files.getFileStore(tmp).getUsableSpace() > 2 * size, "room for a " + size + "-byte file");
            Path f = tmp.resolve("zeros-" + n++);
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(size); // a hole: reads as zeros, takes no space
            }
            try (Importer imp = new Importer(ImportProfile.of(c.get("profile").asText()), 1, false,
                    Runtime.getRuntime().availableProcessors())) {
                assertEquals(c.get("cid").asText(), imp.importPath(f).cid().toString(), c.get("name").asText());
            }
            Files.delete(f);
        }
        assertEquals(3, n);
    }

    @Test
    void hiddenFilesAreLeftOutUnlessAskedFor() throws Exception {
        Path with = Files.createDirectories(tmp.resolve("with/d"));
        Files.writeString(with.resolve("a.txt"), "a");
        Files.writeString(with.resolve(".secret"), "s");
        Path without = Files.createDirectories(tmp.resolve("without/d"));
        Files.writeString(without.resolve("a.txt"), "a");
        try (Importer plain = new Importer(ImportProfile.KUBO, 1, false, 0);
                Importer hidden = new Importer(ImportProfile.KUBO, 1, true, 0)) {
            assertEquals(plain.importPath(without).cid(), plain.importPath(with).cid());
            org.junit.jupiter.api.Assertions.assertNotEquals(plain.importPath(with).cid(), hidden.importPath(with).cid());
        }
    }

    @Test
    void everySharedVectorMatches() throws Exception {
        Path vectors = Fixtures.projectDir().resolve("../shared/vectors/unixfs-cids.json").normalize();
        assumeTrue(Files.exists(vectors), "shared vectors not present");
        JsonNode rows = new ObjectMapper().readTree(vectors.toFile());
        int checked = 0;
        for (JsonNode row : rows) {
            String recipe = row.get("content").asText();
            ImportProfile profile = ImportProfile.of(row.get("profile").asText());
            String wrap = row.get("wrap").isNull() ? null : row.get("wrap").asText();
            Path dir = tmp.resolve("v" + checked);
            Path f = content(dir, recipe, wrap != null ? wrap : "content");
            try (Importer imp = new Importer(profile, 1, false, 2)) {
                DagNode root = wrap == null ? imp.importPath(f) : imp.importWrapped(List.of(f));
                assertEquals(row.get("cid").asText(), root.cid().toString(), recipe + " " + profile + " wrap=" + wrap);
            }
            Files.delete(f);
            checked++;
        }
        assertEquals(rows.size(), checked);
    }
}
