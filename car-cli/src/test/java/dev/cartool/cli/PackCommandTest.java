package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackCommandTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    /** The image from the JS-made fixture, as a file to pack. */
    private Path lolcow() {
        Path sif = tmp.resolve("lolcow.sif");
        Cli c = Cli.run("extract", "-q", s(Fixtures.testdata("lolcow.car")), "-o", s(sif));
        assertEquals(0, c.exit, c.toString());
        return sif;
    }

    @Test
    void packGivesTheJsStacksBytesAndPrintsTheRoot() throws Exception {
        Path sif = lolcow();
        Path car = tmp.resolve("out.car");
        Cli c = Cli.run("pack", "-q", s(sif), "-o", s(car));
        assertEquals(0, c.exit, c.toString());
        assertEquals(Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("root").asText() + "\n",
                c.out.replace("\r\n", "\n"));
        assertArrayEquals(Files.readAllBytes(Fixtures.testdata("lolcow.car")), Files.readAllBytes(car));
        Path wrapped = tmp.resolve("wrapped.car");
        assertEquals(0, Cli.run("pack", "-q", "--wrap", s(sif), "-o", s(wrapped)).exit);
        assertArrayEquals(Files.readAllBytes(Fixtures.testdata("lolcow-wrapped.car")), Files.readAllBytes(wrapped));
        Path v0 = tmp.resolve("v0.car");
        assertEquals(0, Cli.run("pack", "-q", "--cid-version", "0", s(sif), "-o", s(v0)).exit);
        assertArrayEquals(Files.readAllBytes(Fixtures.testdata("lolcow-cidv0.car")), Files.readAllBytes(v0));
    }

    @Test
    void cidPrintsWhatPackWouldWithoutWriting() throws Exception {
        Path sif = lolcow();
        List<Path> before;
        try (Stream<Path> st = Files.list(tmp)) {
            before = st.toList();
        }
        Cli c = Cli.run("cid", s(sif));
        assertEquals(0, c.exit, c.toString());
        assertEquals(Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("root").asText(), c.out.trim());
        Cli w = Cli.run("cid", "-w", "--profile", "unixfs-v1-2025", s(sif));
        assertEquals(0, w.exit);
        assertTrue(w.out.trim().startsWith("bafybei"), w.out);
        try (Stream<Path> st = Files.list(tmp)) {
            assertEquals(before, st.toList(), "car cid writes nothing");
        }
    }

    @Test
    void badInputsAndOutputs() throws Exception {
        Path sif = lolcow();
        Path car = tmp.resolve("x.car");
        Cli v3 = Cli.run("pack", s(sif), "-o", s(car), "--car-version", "3");
        assertEquals(2, v3.exit);
        assertTrue(v3.err.contains("--car-version 3: must be 1 or 2"), v3.err);
        assertFalse(Files.exists(car));
        Cli two = Cli.run("pack", s(sif), s(sif), "-o", s(car));
        assertEquals(2, two.exit);
        assertTrue(two.err.contains("--wrap"), two.err);
        Cli missing = Cli.run("pack", s(tmp.resolve("nope")), "-o", s(car));
        assertEquals(2, missing.exit);
        assertTrue(missing.err.contains("no such file"), missing.err);
        Cli profile = Cli.run("cid", "--profile", "nonsense", s(sif));
        assertEquals(2, profile.exit);
        Files.writeString(car, "keep");
        Cli clobber = Cli.run("pack", "-q", s(sif), "-o", s(car));
        assertEquals(2, clobber.exit);
        assertEquals("keep", Files.readString(car));
        assertEquals(0, Cli.run("pack", "-q", "--force", s(sif), "-o", s(car)).exit);
        assertEquals(0, Cli.run("verify", s(car)).exit);
        try (Stream<Path> st = Files.list(tmp)) {
            assertEquals(2, st.count(), "no temp files left: " + tmp);
        }
    }

    @Test
    void packedTreesExtractBackAndHiddenFilesStayOut() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in/sub/empty"));
        Files.writeString(tmp.resolve("in/a.txt"), "a");
        Files.writeString(tmp.resolve("in/.hidden"), "h");
        Files.write(tmp.resolve("in/sub/big.bin"), new byte[700_000]);
        Path car = tmp.resolve("t.car");
        Cli c = Cli.run("pack", "-q", s(tmp.resolve("in")), "-o", s(car));
        assertEquals(0, c.exit, c.toString());
        assertEquals(c.out.trim(), Cli.run("cid", s(tmp.resolve("in"))).out.trim());
        Path out = tmp.resolve("out");
        assertEquals(0, Cli.run("extract", "-q", s(car), "-o", s(out)).exit);
        assertEquals("a", Files.readString(out.resolve("a.txt")));
        assertTrue(Files.isDirectory(out.resolve("sub/empty")));
        assertEquals(700_000, Files.size(out.resolve("sub/big.bin")));
        assertTrue(!Files.exists(out.resolve(".hidden")));
        Path withHidden = tmp.resolve("h.car");
        assertEquals(0, Cli.run("pack", "-q", "--hidden", s(tmp.resolve("in")), "-o", s(withHidden)).exit);
        assertTrue(Cli.run("ls", s(withHidden)).out.lines().anyMatch(l -> l.equals(".hidden")));
        assertTrue(in.toFile().exists());
    }

    @Test
    void symlinksArePackedAsSymlinks() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("s"));
        Files.writeString(in.resolve("target.txt"), "t");
        Files.createSymbolicLink(in.resolve("rel"), Path.of("target.txt"));
        Files.createSymbolicLink(in.resolve("abs"), Path.of("/etc/hostname"));
        Path car = tmp.resolve("s.car");
        assertEquals(0, Cli.run("pack", "-q", s(in), "-o", s(car)).exit);
        Cli ls = Cli.run("ls", "-l", s(car));
        assertTrue(ls.out.lines().anyMatch(l -> l.startsWith("l ") && l.endsWith("rel -> target.txt")), ls.out);
        Path out = tmp.resolve("out");
        assertEquals(0, Cli.run("extract", "-q", s(car), "-o", s(out)).exit);
        assertEquals("/etc/hostname", Files.readSymbolicLink(out.resolve("abs")).toString());
        assertEquals("t", Files.readString(out.resolve("rel")));
    }
}
