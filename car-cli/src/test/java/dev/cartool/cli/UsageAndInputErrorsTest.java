package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, smaller items: usage errors are exit 2, and every data error names its file. */
class UsageAndInputErrorsTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void badNumbersAndAddressesAreUsageErrors() {
        String lolcow = s(Fixtures.testdata("lolcow.car"));
        for (String[] args : List.of(
                new String[] {"verify", "--threads", "0", lolcow},
                new String[] {"verify", "--threads", "-1", lolcow},
                new String[] {"cid", "--threads", "0", lolcow},
                new String[] {"verify", "--max-section", "0", lolcow},
                new String[] {"extract", "--max-section", "2G", lolcow, "-o", "-"},
                new String[] {"serve", "--listen", "999.1.1.1:80"},
                new String[] {"serve", "--listen", "127.0.0.1:99999"},
                new String[] {"serve", "--listen", "127.0.0.1:http"},
                new String[] {"serve", "--threads", "0"},
                new String[] {"serve", "--busy-poll", "-1"},
                new String[] {"serve", "--busy-poll", "1000001"})) {
            Cli c = Cli.run(args);
            assertEquals(2, c.exit, String.join(" ", args) + ": " + c);
            assertFalse(c.err.contains("null"), c.err);
            assertEquals(1, c.err.lines().count(), c.err);
            assertTrue(c.err.contains(args[1]), "names the option: " + c.err);
        }
    }

    @Test
    void randomBytesAreRefusedNamingTheFile() throws Exception {
        byte[] noise = new byte[100_000];
        new java.util.SplittableRandom(3).nextBytes(noise);
        Path f = Files.write(tmp.resolve("noise.car"), noise);
        for (String verb : List.of("extract", "ls", "roots", "blocks")) {
            Cli c = verb.equals("extract") ? Cli.run(verb, s(f), "-o", s(tmp.resolve("x"))) : Cli.run(verb, s(f));
            assertEquals(1, c.exit, verb + ": " + c);
            assertTrue(c.err.startsWith("car " + verb + ": " + f + ": "), verb + ": " + c.err);
            assertFalse(c.err.contains("empty file"), c.err);
        }
    }

    @Test
    void severalRootsNeedOneChosenAndUnknownOptionsAreNamed() throws Exception {
        java.util.List<dev.cartool.block.Block> blocks = new java.util.ArrayList<>();
        try (dev.cartool.car.CarReader r = dev.cartool.car.CarReader.open(Files.newInputStream(Fixtures.testdata("lolcow.car")))) {
            dev.cartool.block.Block b;
            while ((b = r.next()) != null) {
                blocks.add(b);
            }
        }
        Path two = tmp.resolve("two-roots.car");
        try (java.io.OutputStream out = Files.newOutputStream(two);
                dev.cartool.car.CarWriter w = dev.cartool.car.CarWriter.create(out, List.of(blocks.get(0).cid(), blocks.get(1).cid()))) {
            for (dev.cartool.block.Block b : blocks) {
                w.write(b);
            }
        }
        Cli c = Cli.run("extract", s(two), "-o", s(tmp.resolve("x")));
        assertEquals(2, c.exit, c.toString());
        assertTrue(c.err.contains("the CAR has 2 roots; choose one with --root"), c.err);
        Cli opt = Cli.run("verify", "--bogus", s(two));
        assertEquals(2, opt.exit, opt.toString());
        assertTrue(opt.err.contains("Unknown option: '--bogus'"), opt.err);
    }

    @Test
    void extractTakesMaxSection() throws Exception {
        Cli small = Cli.run("extract", "--max-section", "100K", s(Fixtures.testdata("lolcow.car")), "-o", s(tmp.resolve("a")));
        assertEquals(1, small.exit, small.toString());
        assertTrue(small.err.contains("exceeds the 102,400 limit"), small.err);
        Cli ok = Cli.run("extract", "-q", "--max-section", "1M", s(Fixtures.testdata("lolcow.car")), "-o", s(tmp.resolve("b")));
        assertEquals(0, ok.exit, ok.toString());
    }

    @Test
    void aClosedStdinIsSaidSo() throws Exception {
        // The child's stdin is closed before it starts: '-' must not read whatever reuses fd 0.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "exec \"$0\" -cp \"$1\" dev.cartool.cli.CarCommand extract - -o \"$2\" <&-",
                java, System.getProperty("java.class.path"), s(tmp.resolve("out"))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.waitFor(), out);
        assertTrue(out.contains("standard input is closed"), out);
    }
}
