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
