package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.cartool.car.CarReader;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, data loss: --force never deletes what the CAR does not write; stdout errors fail. */
class NothingLostTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    private static String tree() {
        return s(Fixtures.testdata("tree.car"));
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void forceIntoAnExistingDirectoryMergesAndKeepsEverythingElse() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Files.createDirectories(out.resolve("tree/a"));
        Files.writeString(out.resolve("tree/mine.txt"), "also mine");
        Files.writeString(out.resolve("tree/a/run.sh"), "old content");
        Files.createSymbolicLink(out.resolve("tree/data.bin"), Path.of("/etc/hostname"));
        Cli refused = Cli.run("extract", "-q", tree(), "-o", s(out));
        assertEquals(2, refused.exit, refused.toString());
        assertEquals("old content", Files.readString(out.resolve("tree/a/run.sh")));

        Cli c = Cli.run("extract", "-q", "--force", tree(), "-o", s(out));
        assertEquals(0, c.exit, c.toString());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertEquals("also mine", Files.readString(out.resolve("tree/mine.txt")));
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(out.resolve("tree/a/run.sh")));
        // The symlink was replaced by the CAR's file, not written through.
        assertFalse(Files.isSymbolicLink(out.resolve("tree/data.bin")));
        assertEquals(20000, Files.size(out.resolve("tree/data.bin")));
        assertEquals(2000, count(out.resolve("tree/sharded")));
        // Nothing of the staging directory is left.
        try (Stream<Path> st = Files.list(out)) {
            assertEquals(List.of("keep.txt", "links", "tree"), st.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aFileOverADirectoryIsRefusedBeforeAnythingMoves() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.createDirectories(out.resolve("tree/a/run.sh"));
        Files.writeString(out.resolve("tree/a/run.sh/inside"), "precious");
        Cli c = Cli.run("extract", "-q", "--force", tree(), "-o", s(out));
        assertEquals(2, c.exit, c.toString());
        assertTrue(c.err.contains("tree/a/run.sh: is a directory"), c.err);
        assertEquals("precious", Files.readString(out.resolve("tree/a/run.sh/inside")));
        assertEquals(1, count(out), "nothing was moved in: " + c);

        Path lolcowDir = Files.createDirectory(tmp.resolve("lolcow.sif"));
        Files.writeString(lolcowDir.resolve("x"), "precious");
        Cli file = Cli.run("extract", "-q", "--force", s(Fixtures.testdata("lolcow.car")), "-o", s(lolcowDir));
        assertEquals(2, file.exit, file.toString());
        assertTrue(file.err.contains("is a directory"), file.err);
        assertEquals("precious", Files.readString(lolcowDir.resolve("x")));
        Cli block = Cli.run("get-block", "-f", tree(), "bafybeicdyqf3n4xafkay7lv2id6ba4q72coxqnilkblvrds6orttp3xbxq",
                "-o", s(lolcowDir));
        assertEquals(2, block.exit, block.toString());
        assertEquals("precious", Files.readString(lolcowDir.resolve("x")));
    }

    @Test
    void dotAndEmptyAsTargetNeverLoseTheCurrentDirectory() throws Exception {
        for (String target : List.of(".", "")) {
            Path cwd = Files.createDirectories(tmp.resolve("cwd" + target.length()));
            Files.writeString(cwd.resolve("keep.txt"), "mine");
            Proc file = Proc.run(cwd, null, "extract", "-q", "--force", s(Fixtures.testdata("lolcow.car")), "-o", target);
            assertEquals(2, file.exit, file.toString());
            assertTrue(file.err.contains("is a directory"), file.err);
            assertEquals("mine", Files.readString(cwd.resolve("keep.txt")));
            Proc merged = Proc.run(cwd, null, "extract", "-q", "--force", tree(), "-o", target);
            assertEquals(0, merged.exit, merged.toString());
            assertEquals("mine", Files.readString(cwd.resolve("keep.txt")));
            assertEquals(10, Files.size(cwd.resolve("tree/a/b/c.txt")));
            assertEquals(3, count(cwd));
        }
        Proc root = Proc.run(tmp, null, "extract", "-q", "--force", s(Fixtures.testdata("lolcow.car")), "-o", "/");
        assertEquals(2, root.exit, root.toString());
    }

    private static void assumeDevFull() {
        assumeTrue(new File("/dev/full").canWrite(), "/dev/full is not available");
    }

    @Test
    void writesToAFullStdoutFail() throws Exception {
        assumeDevFull();
        File full = new File("/dev/full");
        String lolcow = s(Fixtures.testdata("lolcow.car"));
        for (String[] args : List.of(
                new String[] {"extract", "-q", lolcow, "-o", "-"},
                new String[] {"get-block", lolcow, "bafkreihius7s5aa4beakbiv7bdz2gasyyd22e34dpexr33w3fyilagwagi"},
                new String[] {"pack", "-q", s(Fixtures.testdata("random")), "-o", "-"},
                new String[] {"roots", lolcow},
                new String[] {"blocks", tree()},
                new String[] {"ls", tree()},
                new String[] {"inspect", lolcow},
                new String[] {"--help"})) {
            Proc p = Proc.run(tmp, full, args);
            assertEquals(1, p.exit, String.join(" ", args) + ": " + p);
            assertTrue(p.err.contains("standard output: write failed"), String.join(" ", args) + ": " + p.err);
            assertFalse(p.err.contains("\tat "), p.err);
        }
    }

    @Test
    void packToStdoutWritesTheCarAndNothingElse() throws Exception {
        Proc p = Proc.run(tmp, null, "pack", s(Fixtures.testdata("lolcow.car")), "-o", "-");
        assertEquals(0, p.exit, p.toString());
        int blocks = 0;
        try (CarReader r = CarReader.open(new ByteArrayInputStream(p.out))) {
            while (r.next() != null) {
                blocks++;
            }
            assertEquals(p.out.length, r.bytesRead(), "no bytes after the last section");
            assertEquals(r.header().roots().get(0).toString(), p.err.strip());
        }
        assertTrue(blocks > 1);
        Proc file = Proc.run(tmp, null, "pack", s(Fixtures.testdata("lolcow.car")), "-o", s(tmp.resolve("x.car")));
        assertEquals(p.err.strip(), new String(file.out).strip(), "the root on stdout when the CAR goes to a file");
        assertArrayEquals(p.out, Files.readAllBytes(tmp.resolve("x.car")));
    }
}
