package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, resource exhaustion: memory is bounded by a budget whatever the chunk size. */
class BoundedMemoryTest {
    @TempDir
    Path tmp;

    /** SplittableRandom longs, little-endian: distinct chunks, so every leaf is its own block. */
    static String writeRandom(Path f, long seed, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom r = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8 && i + k < n; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void extractOfFortyThousandSmallLeavesStaysInItsBudget() throws Exception {
        Path content = tmp.resolve("content.bin");
        String sha = writeRandom(content, 7, 40_000_000L);
        Path car = tmp.resolve("small.car");
        Cli pack = Cli.run("pack", "-q", "--chunker", "size-1000", content.toString(), "-o", car.toString());
        assertEquals(0, pack.exit, pack.toString());
        Files.delete(content);
        Path out = tmp.resolve("out.bin");
        // 40,000 leaves in flight would need 10 GB at one 256 KiB buffer each; the budget is 16 MiB.
        Proc x = Proc.run(List.of("-Xmx96m", "-XX:MaxDirectMemorySize=48m"), tmp, null, null,
                "extract", "-q", car.toString(), "-o", out.toString());
        assertEquals(0, x.exit, x.toString());
        assertEquals(sha, hash(out));
        Proc toStdout = Proc.run(List.of("-Xmx96m", "-XX:MaxDirectMemorySize=48m"), tmp, tmp.resolve("piped.bin").toFile(),
                null, "extract", "-q", car.toString(), "-o", "-");
        assertEquals(0, toStdout.exit, toStdout.toString());
        assertEquals(sha, hash(tmp.resolve("piped.bin")));
    }

    /**
     * Past CAR_TABLE_MEMORY the per-block tables go to files in TMPDIR (none: every segment that
     * grows): verify's (with every parent open, parents first), a file's scan for a leaves-first
     * CAR, a pipe's spool. The answers are the same, a missing block is named from the files,
     * nothing is left behind, and a directory that cannot take the files is named.
     */
    @Test
    void tablesPastTheirMemoryGoToFilesWithTheSameAnswers() throws Exception {
        Path content = tmp.resolve("content.bin");
        String sha = writeRandom(content, 11, 6_000_000L); // 6,000 leaves: past 64 segments x 52 entries
        Path dfs = tmp.resolve("dfs.car");
        assertEquals(0, Cli.run("pack", "-q", "--chunker", "size-1000", content.toString(), "-o", dfs.toString()).exit);
        Path leavesFirst = tmp.resolve("leaves-first.car");
        List<dev.cartool.block.Block> blocks = new java.util.ArrayList<>();
        dev.cartool.car.CarHeader header;
        try (var in = Files.newInputStream(dfs); var r = dev.cartool.car.CarReader.open(in)) {
            header = r.header();
            for (dev.cartool.block.Block b; (b = r.next()) != null; ) {
                blocks.add(b);
            }
        }
        java.util.Collections.reverse(blocks);
        writeCar(leavesFirst, header, blocks);
        // Parents first (every DAG-PB block before any leaf): verify's check holds every link.
        List<dev.cartool.block.Block> parentsFirst = new java.util.ArrayList<>(blocks);
        parentsFirst.sort(java.util.Comparator.comparing(b -> b.cid().codec() == dev.cartool.cid.Multicodec.RAW));
        Path parents = tmp.resolve("parents-first.car");
        writeCar(parents, header, parentsFirst);
        dev.cartool.block.Block dropped = parentsFirst.remove(parentsFirst.size() / 2);
        Path holed = tmp.resolve("holed.car");
        writeCar(holed, header, parentsFirst);
        Path spill = Files.createDirectories(tmp.resolve("spill"));
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("CAR_TABLE_MEMORY", "0");
        env.put("TMPDIR", spill.toString());
        Cli h = Cli.runWith(env, "verify", holed.toString());
        assertEquals(1, h.exit, h.toString());
        assertTrue(h.err.contains("block " + dropped.cid() + " (linked from "), h.err);
        assertEquals(Cli.run("verify", holed.toString()).err, h.err);
        for (Path car : List.of(dfs, leavesFirst, parents)) {
            Cli v = Cli.runWith(env, "verify", "--json", car.toString());
            assertEquals(0, v.exit, v.toString());
            assertEquals(Cli.run("verify", "--json", car.toString()).out, v.out);
            Path out = tmp.resolve("out-" + car.getFileName());
            Cli x = Cli.runWith(env, "extract", "-q", car.toString(), "-o", out.toString());
            assertEquals(0, x.exit, x.toString());
            assertEquals(sha, hash(out));
        }
        java.util.Map<String, String> piped = new java.util.HashMap<>(env);
        piped.put("CAR_STREAM_CACHE", "1"); // every block passed over is spooled
        java.io.InputStream saved = System.in;
        try (var in = Files.newInputStream(leavesFirst)) {
            System.setIn(in);
            Cli x = Cli.runWith(piped, "extract", "-q", "-", "-o", tmp.resolve("piped.bin").toString());
            assertEquals(0, x.exit, x.toString());
        } finally {
            System.setIn(saved);
        }
        assertEquals(sha, hash(tmp.resolve("piped.bin")));
        try (var left = Files.list(spill)) {
            assertEquals(0, left.count(), "the tables' files are unlinked as they are made");
        }
        env.put("TMPDIR", tmp.resolve("not-there").toString());
        // through picocli and through the quick start (as main runs plain arguments)
        for (Cli v : List.of(Cli.runWith(env, "verify", dfs.toString()), Cli.quick(env, "verify", dfs.toString()))) {
            assertEquals(1, v.exit, v.toString());
            assertEquals("car verify: " + dfs + ": table file in " + tmp.resolve("not-there")
                    + ": write failed: no such directory", v.err.strip());
        }
        env.put("CAR_TABLE_MEMORY", "lots");
        for (Cli bad : List.of(Cli.runWith(env, "verify", dfs.toString()), Cli.quick(env, "verify", dfs.toString()))) {
            assertEquals(2, bad.exit, bad.toString());
            assertTrue(bad.err.contains("CAR_TABLE_MEMORY=lots: not a number of bytes"), bad.err);
        }
    }

    private static void writeCar(Path to, dev.cartool.car.CarHeader header, List<dev.cartool.block.Block> blocks)
            throws java.io.IOException {
        try (OutputStream out = Files.newOutputStream(to)) {
            dev.cartool.car.CarWriter w = dev.cartool.car.CarWriter.create(out, header.roots());
            for (dev.cartool.block.Block b : blocks) {
                w.write(b);
            }
            w.flush();
        }
    }

    @Test
    void chunkerTakesKubosSpellingOnly() {
        for (String bad : List.of("size-0", "size-1048577", "rabin", "size-x")) {
            Cli c = Cli.run("cid", "--chunker", bad, "pom.xml");
            assertEquals(2, c.exit, bad + ": " + c);
            assertTrue(c.err.contains("--chunker"), c.err);
        }
    }

    static String hash(Path f) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(f)) {
            byte[] b = new byte[1 << 16];
            int n;
            while ((n = in.read(b)) > 0) {
                sha.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
