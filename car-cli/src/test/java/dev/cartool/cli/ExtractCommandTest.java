package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.block.Block;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarWriter;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractCommandTest {
    @TempDir
    Path tmp;

    private static JsonNode fixture(String name) {
        return Fixtures.json("fixtures.json").get("files").get(name);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.sorted().toList();
        }
    }

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void theReadmeCommandGivesTheExactImageAndDescribesTheSif() throws Exception {
        Path out = tmp.resolve("lolcow.sif");
        Cli c = Cli.run("extract", s(Fixtures.testdata("lolcow.car")), "-o", s(out));
        assertEquals(0, c.exit, c.toString());
        JsonNode content = fixture("lolcow.car").get("content");
        assertEquals(content.get("sha256").asText(), sha256(Files.readAllBytes(out)));
        assertTrue(c.err.contains("lolcow.sif: SIF v01, amd64, 1 partition (squashfs primary system), no signature, "
                + String.format("%,d", content.get("size").asLong()) + " bytes"), c.err);
        assertTrue(c.err.contains("extracted 1 file(s), " + content.get("size").asLong() + " bytes"), c.err);
        assertEquals(List.of(out), listing());
    }

    @Test
    void rootWithAPathAndTheDefaultNameOfIpfsGet() throws Exception {
        JsonNode wrapped = fixture("lolcow-wrapped.car");
        Path cwdOut = tmp.resolve("lolcow.sif");
        // --root CID/path, as Apptainer's ipfs://CID/lolcow.sif; without -o the file is named for the path.
        Cli c = Cli.run("extract", s(Fixtures.testdata("lolcow-wrapped.car")), "--root",
                "ipfs://" + wrapped.get("root").asText() + "/lolcow.sif", "-o", s(cwdOut));
        assertEquals(0, c.exit, c.toString());
        assertEquals(wrapped.get("content").get("sha256").asText(), sha256(Files.readAllBytes(cwdOut)));
        assertEquals("lolcow.sif", ExtractCommand.defaultName(dev.cartool.cid.IpfsPath.parse(
                wrapped.get("root").asText() + "/lolcow.sif")));
        assertEquals(wrapped.get("root").asText(), ExtractCommand.defaultName(dev.cartool.cid.IpfsPath.parse(
                wrapped.get("root").asText())));
        // PATH as a positional argument works the same way.
        Path viaPath = tmp.resolve("second.sif");
        assertEquals(0, Cli.run("extract", s(Fixtures.testdata("lolcow-wrapped.car")), "lolcow.sif", "-o", s(viaPath)).exit);
        assertArrayEquals(Files.readAllBytes(cwdOut), Files.readAllBytes(viaPath));
    }

    @Test
    void stdoutAndStdinStream() throws Exception {
        Cli c = Cli.run("extract", s(Fixtures.testdata("zeros-kubo.car")), "-o", "-");
        assertEquals(0, c.exit, c.toString());
        assertEquals(fixture("zeros-kubo.car").get("content").get("sha256").asText(), sha256(c.binary));
        java.io.InputStream saved = System.in;
        try (java.io.InputStream in = Files.newInputStream(Fixtures.testdata("lolcow-cidv0.car"))) {
            System.setIn(in);
            Cli piped = Cli.run("extract", "-", "-o", "-", "-q");
            assertEquals(0, piped.exit, piped.toString());
            assertEquals(fixture("lolcow-cidv0.car").get("content").get("sha256").asText(), sha256(piped.binary));
            assertEquals("", piped.err);
        } finally {
            System.setIn(saved);
        }
        // A directory to stdout goes as a tar (TarInOutTest checks its contents).
        Cli dir = Cli.run("extract", s(Fixtures.testdata("tree.car")), "-o", "-");
        assertEquals(0, dir.exit, dir.toString());
        assertEquals("ustar", new String(dir.binary, 257, 5, java.nio.charset.StandardCharsets.US_ASCII));
        Cli partial = Cli.run("extract", s(Fixtures.testdata("tree.car")), "-o", "-", "--partial");
        assertEquals(2, partial.exit, "a tar cannot skip what is missing and say so: " + partial);
    }

    @Test
    void aTreeComesOutAndLsListsIt() throws Exception {
        Path out = tmp.resolve("t");
        Cli c = Cli.run("extract", s(Fixtures.testdata("tree-leaves-first.car")), "-o", s(out));
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.err.contains("2 symlink(s)"), c.err);
        assertTrue(Files.isSymbolicLink(out.resolve("links/abs")));
        Cli ls = Cli.run("ls", s(Fixtures.testdata("tree.car")));
        assertEquals(0, ls.exit, ls.toString());
        List<String> lines = ls.out.lines().toList();
        assertEquals(fixture("tree.car").get("shardedEntries").asInt() + 13, lines.size(), ls.out.substring(0, 400));
        assertTrue(lines.contains("tree/a/empty/"));
        assertTrue(lines.contains("tree/sharded/entry-01999.txt"));
        Cli ll = Cli.run("ls", "-l", s(Fixtures.testdata("tree.car")), "tree/a");
        assertEquals(0, ll.exit, ll.toString());
        assertTrue(ll.out.lines().anyMatch(l -> l.startsWith("- 0755           18 ") && l.endsWith(" run.sh")), ll.out);
        assertTrue(ll.out.lines().anyMatch(l -> l.startsWith("d ") && l.endsWith(" b/")), ll.out);
        Cli links = Cli.run("ls", "-l", s(Fixtures.testdata("tree.car")), "links");
        assertTrue(links.out.contains("abs -> /etc/passwd"), links.out);
    }

    @Test
    void partialNamesWhatIsMissingAndExitsOne() throws Exception {
        Path out = tmp.resolve("su");
        Cli strict = Cli.run("extract", s(Fixtures.goCar("simple-unixfs-missing-blocks.car")), "-o", s(out));
        assertEquals(1, strict.exit, strict.toString());
        assertEquals(1, strict.err.lines().count(), strict.err);
        assertTrue(strict.err.contains("QmVKt1VVkgfYcbSZqLD9sxZAkDpbH3L7RM6mJ6LHbkj5Bm"), strict.err);
        assertEquals(List.of(), listing());
        Cli partial = Cli.run("extract", "--partial", s(Fixtures.goCar("simple-unixfs-missing-blocks.car")), "-o", s(out));
        assertEquals(1, partial.exit, partial.toString());
        for (String p : List.of("b/4", "b/5/E.txt", "b/6")) {
            assertTrue(partial.err.contains("missing: " + p + " (block "), partial.err);
        }
        assertTrue(partial.err.contains("extracted 6 file(s)"), partial.err);
        assertEquals("a1A\n", Files.readString(out.resolve("a/1/A.txt")));
    }

    @Test
    void damagedCarsLeaveNothingBehind() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        List<Block> blocks = new java.util.ArrayList<>();
        try (CarReader r = CarReader.open(new java.io.ByteArrayInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                blocks.add(b);
            }
        }
        Path work = Files.createDirectory(tmp.resolve("inputs"));
        byte[] flipped = car.clone();
        flipped[(int) blocks.get(1).dataOffset() + 3] ^= 1;
        byte[] truncated = Arrays.copyOf(car, car.length - 1000);
        java.io.ByteArrayOutputStream noLeaf = new java.io.ByteArrayOutputStream();
        try (CarWriter w = CarWriter.create(noLeaf, List.of(blocks.get(0).cid()))) {
            w.write(blocks.get(0));
            w.write(blocks.get(2));
        }
        // The first section's length varint replaced by a claim of 100 MiB (over the 8 MiB limit).
        int first = (int) blocks.get(0).offset();
        int oldVarint = (int) (blocks.get(0).sectionLength() - blocks.get(0).length() - blocks.get(0).cid().encodedLength());
        java.io.ByteArrayOutputStream big = new java.io.ByteArrayOutputStream();
        big.write(car, 0, first);
        big.writeBytes(dev.cartool.cid.Varint.encode(100L << 20));
        big.write(car, first + oldVarint, car.length - first - oldVarint);
        byte[] oversized = big.toByteArray();
        Path outDir = Files.createDirectory(tmp.resolve("out"));
        for (Object[] c : new Object[][] {{"flipped", flipped, "hash mismatch"}, {"truncated", truncated, "data ends"},
            {"missing-leaf", noLeaf.toByteArray(), "is missing"}, {"oversized", oversized, "exceeds"}}) {
            Path in = Files.write(work.resolve(c[0] + ".car"), (byte[]) c[1]);
            Cli x = Cli.run("extract", s(in), "-o", s(outDir.resolve("x.sif")));
            assertEquals(1, x.exit, c[0] + ": " + x);
            assertEquals(1, x.err.lines().count(), c[0] + ": " + x.err);
            assertTrue(x.err.contains((String) c[2]), c[0] + ": " + x.err);
            assertFalse(x.err.contains("Exception"), x.err);
            try (Stream<Path> s = Files.list(outDir)) {
                assertEquals(0, s.count(), c[0] + ": nothing left in the output directory");
            }
        }
        // A root that is not in the file.
        Cli wrongRoot = Cli.run("extract", s(Fixtures.testdata("lolcow.car")), "--root",
                fixture("tree.car").get("root").asText(), "-o", s(outDir.resolve("y")));
        assertEquals(1, wrongRoot.exit, wrongRoot.toString());
        assertTrue(wrongRoot.err.contains("is missing"), wrongRoot.err);
        try (Stream<Path> s = Files.list(outDir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void existingOutputNeedsForce() throws Exception {
        Path out = Files.writeString(tmp.resolve("lolcow.sif"), "keep me");
        Cli c = Cli.run("extract", s(Fixtures.testdata("lolcow.car")), "-o", s(out));
        assertEquals(2, c.exit, c.toString());
        assertEquals("keep me", Files.readString(out));
        assertEquals(0, Cli.run("extract", "--force", "-q", s(Fixtures.testdata("lolcow.car")), "-o", s(out)).exit);
        assertEquals(fixture("lolcow.car").get("content").get("size").asLong(), Files.size(out));
    }

    @Test
    void inspectDescribesTheRootEntity() {
        Cli sif = Cli.run("inspect", s(Fixtures.testdata("lolcow.car")));
        assertTrue(sif.out.contains("Root entity: file, 344064 bytes"), sif.out);
        assertTrue(sif.out.contains("Root file is a SIF v01, amd64"), sif.out);
        assertTrue(sif.out.contains("|FS (Squashfs/*System/amd64)"), sif.out);
        Cli dir = Cli.run("inspect", s(Fixtures.testdata("tree.car")));
        assertTrue(dir.out.contains("Root entity: directory, 2 entries"), dir.out);
    }

    @Test
    void theRootDirectoryKeepsItsOwnModeAndMtime() throws Exception {
        JsonNode want = Fixtures.json("dir-meta.json").get("entries");
        Path out = tmp.resolve("top");
        Cli c = Cli.run("extract", s(Fixtures.testdata("dir-meta.car")), "-o", s(out), "-q");
        assertEquals(0, c.exit, c.toString());
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) want::fields) {
            Path p = e.getKey().isEmpty() ? out : out.resolve(e.getKey());
            int mode = e.getValue().get("mode").asInt();
            assertEquals(Integer.toOctalString(mode), octal(Files.getPosixFilePermissions(p)), p.toString());
            long nanos = e.getValue().get("mtime").asLong() * 1_000_000_000L + e.getValue().path("nanos").asLong();
            assertEquals(nanos, Files.getLastModifiedTime(p).to(java.util.concurrent.TimeUnit.NANOSECONDS), p.toString());
        }
        // Merged into an existing directory, that directory is the user's: its mode stays.
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Files.setPosixFilePermissions(mine, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, Cli.run("extract", s(Fixtures.testdata("dir-meta.car")), "-o", s(mine), "--force", "-q").exit);
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)));
        assertTrue(Files.isRegularFile(mine.resolve("inner/f.txt")));
    }

    private static String octal(java.util.Set<java.nio.file.attribute.PosixFilePermission> perms) {
        int m = 0;
        for (java.nio.file.attribute.PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal()); // OWNER_READ is bit 8 ... OTHERS_EXECUTE bit 0
        }
        return Integer.toOctalString(m);
    }
}
