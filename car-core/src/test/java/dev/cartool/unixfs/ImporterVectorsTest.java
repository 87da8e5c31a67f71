package dev.cartool.unixfs;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ../shared/vectors/unixfs-cids.json: root CIDs the JS importer computes; every row must match. */
class ImporterVectorsTest {
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
