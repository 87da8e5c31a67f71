package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.cartool.block.Block;
import dev.cartool.car.CarWriter;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.UnixFsData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, DAG amplification: a tiny CAR with millions of paths is refused, not walked forever. */
class TreeLimitsTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    /** {@code levels} directories, each naming its child twice ("a" and "b"); 2^levels paths to one file. */
    static Path bomb(Path file, int levels) throws Exception {
        byte[] leaf = "x".getBytes(StandardCharsets.US_ASCII);
        Cid child = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, leaf);
        List<Block> blocks = new java.util.ArrayList<>();
        blocks.add(Block.of(child, leaf));
        byte[] dirData = UnixFsData.builder(UnixFsData.Type.DIRECTORY).build().encode();
        for (int i = 0; i < levels; i++) {
            byte[] dir = DagPb.encode(new PbNode(List.of(new PbLink(child, "a", 1L), new PbLink(child, "b", 1L)), dirData));
            child = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, dir);
            blocks.add(Block.of(child, dir));
        }
        try (OutputStream out = Files.newOutputStream(file); CarWriter w = CarWriter.create(out, List.of(child))) {
            for (int i = blocks.size() - 1; i >= 0; i--) {
                w.write(blocks.get(i));
            }
        }
        return file;
    }

    @Test
    void aSmallCarOfMillionsOfPathsIsRefusedQuickly() throws Exception {
        Path car = bomb(tmp.resolve("bomb.car"), 22);
        assertTrue(Files.size(car) < 4096, "a few KB: " + Files.size(car));
        assertEquals(0, Cli.run("verify", s(car)).exit, "the CAR itself is valid");
        Cli ls = Cli.run("ls", s(car));
        assertEquals(1, ls.exit, ls.err);
        assertTrue(ls.err.contains("more than 1,000,000 entries") && ls.err.contains("--max-entries"), ls.err);
        Path outDir = Files.createDirectory(tmp.resolve("out"));
        // Counted before anything is written: refused at once with the default limit too.
        Cli byDefault = Cli.run("extract", "-q", s(car), "-o", s(outDir.resolve("d")));
        assertEquals(1, byDefault.exit, byDefault.toString());
        assertTrue(byDefault.err.contains("more than 1,000,000 entries"), byDefault.err);
        Cli x = Cli.run("extract", "-q", "--max-entries", "20000", s(car), "-o", s(outDir.resolve("x")));
        assertEquals(1, x.exit, x.toString());
        assertTrue(x.err.contains("more than 20,000 entries"), x.err);
        assertEquals(1, x.err.lines().count(), x.err);
        try (Stream<Path> st = Files.list(outDir)) {
            assertEquals(0, st.count(), "nothing left behind");
        }
        // Raised, a smaller bomb goes through: 2^10 files, 2^10 - 1 directories.
        Path small = bomb(tmp.resolve("small.car"), 10);
        Cli ok = Cli.run("extract", "-q", "--max-entries", "2047", s(small), "-o", s(outDir.resolve("y")));
        assertEquals(0, ok.exit, ok.toString());
        Cli over = Cli.run("extract", "-q", "--max-entries", "2046", s(small), "-o", s(outDir.resolve("z")));
        assertEquals(1, over.exit, over.toString());
    }

    @Test
    void aStoppedExtractionLeavesNothingBehind() throws Exception {
        Path car = bomb(tmp.resolve("bomb.car"), 22);
        Path outDir = Files.createDirectory(tmp.resolve("out"));
        // Allowed 10 million entries, the 8.4 million of the bomb take minutes: stop it midway.
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "dev.cartool.cli.CarCommand",
                "extract", "-q", "--max-entries", "10000000", s(car), "-o", s(outDir.resolve("x")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 100 && count(outDir) == 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(1, count(outDir), "the staging directory is there while it works");
        Thread.sleep(500);
        p.destroy(); // SIGTERM, as a batch system's time limit sends
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, count(outDir), "the staging directory went with the process");
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> st = Files.list(dir)) {
            return st.count();
        }
    }

    @Test
    void theByteLimitStopsBeforeWriting() throws Exception {
        Path out = tmp.resolve("t");
        Cli over = Cli.run("extract", "-q", "--max-size", "19999", s(Fixtures.testdata("tree.car")), "-o", s(out));
        assertEquals(1, over.exit, over.toString());
        assertTrue(over.err.contains("more than 19,999 bytes") && over.err.contains("--max-size"), over.err);
        assertFalse(Files.exists(out));
        Cli file = Cli.run("extract", "-q", "--max-size", "1K", s(Fixtures.testdata("lolcow.car")), "-o", s(out));
        assertEquals(1, file.exit, file.toString());
        assertFalse(Files.exists(out));
        assertEquals(0, Cli.run("extract", "-q", "--max-size", "1M", s(Fixtures.testdata("tree.car")), "-o", s(out)).exit);
        Cli bad = Cli.run("extract", "-q", "--max-size", "lots", s(Fixtures.testdata("tree.car")), "-o", s(tmp.resolve("u")));
        assertEquals(2, bad.exit, bad.toString());
    }

    @Test
    void namesWithControlCharactersAreEscapedForATerminal() {
        assertEquals("evil\\x1b[2Jname\\nforged line\\\\", Terminal.escape("evil\u001b[2Jname\nforged line\\"));
        assertEquals("plain é name", Terminal.escape("plain é name"));
    }
}
