package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed CARs, made at test time by the system's own compressors (not by the library that
 * reads them), from the peer-made fixtures; and CARs in any block order on a pipe.
 */
class CompressedAndPipedTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    /** {@code tool -c in > out}; skipped when the tool is not installed. */
    private Path compress(String tool, Path in) throws IOException, InterruptedException {
        Path out = tmp.resolve(in.getFileName() + "." + tool);
        ProcessBuilder pb = new ProcessBuilder(tool, "-c", s(in)).redirectOutput(out.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            assumeTrue(false, tool + " is not installed");
            throw e;
        }
        assertEquals(0, p.waitFor(), tool);
        return out;
    }

    private static Cli withStdin(Path in, Map<String, String> env, String... args) throws IOException {
        InputStream saved = System.in;
        try (InputStream i = Files.newInputStream(in)) {
            System.setIn(i);
            return Cli.runWith(env, args);
        } finally {
            System.setIn(saved);
        }
    }

    /**
     * A named pipe (what a shell's {@code <(...)} gives) is read as a stream by every verb: it
     * cannot be read by position, and the NIO stream's available() seeks, which a pipe refuses
     * ("Illegal seek" was every verb's answer).
     */
    @org.junit.jupiter.api.Test
    void aNamedPipeIsReadAsAStream() throws Exception {
        Path car = Fixtures.testdata("lolcow.car");
        Path fifo = tmp.resolve("in.car");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", s(fifo)).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not installed");
            throw e;
        }
        assertEquals(0, mk.waitFor());
        Path sif = tmp.resolve("lolcow.sif");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", s(tmp.resolve("home")));
        for (List<String> verb : List.of(List.of("verify"), List.of("inspect"), List.of("blocks"),
                List.of("import", "--store", s(tmp.resolve("store"))), List.of("extract", "-q", "-o", s(sif)))) {
            Thread writer = new Thread(() -> {
                try (java.io.OutputStream o = new java.io.FileOutputStream(fifo.toFile())) { // opens the pipe, not a new file
                    Files.copy(car, o);
                } catch (IOException ignored) {
                    // the reader failed; the assertion below says how
                }
            });
            List<String> a = new java.util.ArrayList<>(verb);
            a.add(s(fifo));
            writer.start();
            Cli r = Cli.runWith(env, a.toArray(String[]::new));
            writer.join(10_000);
            assertEquals(0, r.exit, verb + ": " + r);
        }
        assertArrayEquals(extractPlain(car), Files.readAllBytes(sif));
        // concat reads each input twice: a pipe is refused at once, before it is opened.
        Cli concat = Cli.runWith(env, "concat", s(fifo), s(car), "-o", s(tmp.resolve("c.car")));
        assertEquals(2, concat.exit, concat.toString());
        assertTrue(concat.err.contains("a pipe"), concat.err);
    }

    /**
     * A plain file is read by position (sections by the workers that hash them), a pipe as a
     * stream: the two must say the same of every CAR, sound or damaged, go-car's included.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lolcow.car", "lolcow-wrapped.car", "dagcbor-missing-leaf.car", "zeros-kubo.car",
        "go-car:sample-v1.car", "go-car:sample-wrapped-v2.car", "go-car:sample-v1-with-zero-len-section.car",
        "go-car:sample-v1-tailing-corrupt-section.car", "go-car:sample-v2-corrupt-data-and-index.car",
        "go-car:badsectionlength.car", "go-car:sample-corrupt-pragma.car", "damaged:lolcow.car"})
    void aFileAndAPipeReadTheSame(String name) throws Exception {
        Path car;
        if (name.startsWith("go-car:")) {
            car = Fixtures.goCar(name.substring(7));
        } else if (name.startsWith("damaged:")) {
            byte[] b = Files.readAllBytes(Fixtures.testdata(name.substring(8)));
            b[b.length / 2] ^= 0x40; // inside the large leaf, hashed by a worker
            byte[] cut = java.util.Arrays.copyOf(b, b.length - 1000); // and the last section cut short
            car = Files.write(tmp.resolve("damaged.car"), cut);
        } else {
            car = Fixtures.testdata(name);
        }
        for (List<String> verb : List.of(List.of("blocks", "-v"), List.of("blocks", "--json"), List.of("inspect", "--json"),
                List.of("inspect", "--full", "--json"), List.of("inspect"), List.of("verify", "--json"), List.of("verify"))) {
            List<String> a = new java.util.ArrayList<>(verb);
            a.add(s(car));
            Cli file = Cli.run(a.toArray(String[]::new));
            a.set(a.size() - 1, "-");
            Cli pipe = withStdin(car, System.getenv(), a.toArray(String[]::new));
            String what = name + ": " + verb;
            assertEquals(pipe.exit, file.exit, what + "\n" + file + "\n" + pipe);
            assertEquals(norm(pipe.out, "-"), norm(file.out, s(car)), what);
            assertEquals(norm(pipe.err, "-"), norm(file.err, s(car)), what);
        }
    }

    /** Output with the input's name and what only a file has (the root's description) taken out. */
    private static String norm(String out, String name) {
        return out.replace("\"file\":\"" + name + "\"", "\"file\":F").replace(name + ":", "F:")
                .replaceAll("(?m),\"rootEntity\":.*}$", "}").replaceAll("(?s)\nRoot entity.*", "\n")
                .replace("standard input", "F");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "bzip2", "zstd"})
    void everyReadingVerbTakesACompressedCarByItsMagic(String tool) throws Exception {
        Path lolcow = Fixtures.testdata("lolcow.car");
        Path tree = Fixtures.testdata("tree-leaves-first.car");
        // The name says nothing: detection is by magic bytes.
        Path z = Files.move(compress(tool, lolcow), tmp.resolve("lolcow-" + tool + ".bin"));
        Path zt = compress(tool, tree);
        for (String verb : List.of("verify", "roots", "blocks", "inspect")) {
            Cli plain = Cli.run(verb, s(lolcow));
            Cli packed = Cli.run(verb, s(z));
            assertEquals(0, packed.exit, verb + ": " + packed);
            assertEquals(plain.out.replace(s(lolcow), "F"), packed.out.replace(s(z), "F"), verb);
        }
        Path sif = tmp.resolve("lolcow.sif");
        assertEquals(0, Cli.run("extract", s(z), "-o", s(sif), "-q").exit);
        assertArrayEquals(extractPlain(lolcow), Files.readAllBytes(sif));
        Cli fromPipe = withStdin(z, System.getenv(), "extract", "-", "-o", "-", "-q");
        assertEquals(0, fromPipe.exit, fromPipe.toString());
        assertArrayEquals(extractPlain(lolcow), fromPipe.binary);
        assertEquals(Cli.run("ls", "-l", s(tree)).out, Cli.run("ls", "-l", s(zt)).out, "a leaves-first tree");
        Path x = tmp.resolve("x");
        assertEquals(0, Cli.run("extract", s(zt), "-o", s(x), "-q").exit);
        assertTrue(Files.isRegularFile(x.resolve("tree/a/b/c.txt")));
        // Import stores the decompressed CAR, which is then found by root.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CAR_STORE", s(tmp.resolve("store")));
        Cli imp = Cli.runWith(env, "import", s(z), "-q");
        assertEquals(0, imp.exit, imp.toString());
        String root = Cli.run("roots", s(lolcow)).out.strip();
        Cli got = Cli.runWith(env, "get", root, "-o", "-", "-q");
        assertArrayEquals(extractPlain(lolcow), got.binary);
    }

    private byte[] extractPlain(Path car) {
        Cli c = Cli.run("extract", s(car), "-o", "-", "-q");
        assertEquals(0, c.exit, c.toString());
        return c.binary;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void aCutOrDamagedCompressedCarIsOneLineNamingTheFile(String tool) throws Exception {
        byte[] z = Files.readAllBytes(compress(tool, Fixtures.testdata("lolcow.car")));
        Path cut = Files.write(tmp.resolve("cut.car"), java.util.Arrays.copyOf(z, z.length / 2));
        for (String verb : List.of("verify", "extract")) {
            Cli c = Cli.run(verb, s(cut), "-o", s(tmp.resolve("out.sif")));
            if (verb.equals("verify")) {
                c = Cli.run(verb, s(cut));
            }
            assertEquals(1, c.exit, c.toString());
            assertTrue(c.err.startsWith("car " + verb + ": " + s(cut) + ": ") && c.err.contains(tool.equals("gzip") ? "gzip" : "zstd"),
                    c.err);
            assertEquals(1, c.err.strip().lines().count(), c.err);
        }
        assertFalse(Files.exists(tmp.resolve("out.sif")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lolcow-leaves-first.car", "tree-leaves-first.car"})
    void aLeavesFirstCarOnAPipeIsSpooledAndReadWhole(String name) throws IOException {
        Path car = Fixtures.testdata(name);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CAR_STREAM_CACHE", "1"); // nothing fits: every block passed over is spooled
        env.put("TMPDIR", s(Files.createDirectories(tmp.resolve("spool"))));
        Path fromFile = tmp.resolve("f");
        Path fromPipe = tmp.resolve("p");
        assertEquals(0, Cli.run("extract", s(car), "-o", s(fromFile), "-q").exit);
        Cli c = withStdin(car, env, "extract", "-", "-o", s(fromPipe));
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.err.contains("standard input: blocks arrive before they are needed")
                && c.err.contains("spooling them to a temp file in " + tmp.resolve("spool")), c.err);
        assertTreesEqual(fromFile, fromPipe);
        try (var left = Files.list(tmp.resolve("spool"))) {
            assertEquals(0, left.count(), "the spool file is gone");
        }
        Cli quiet = withStdin(car, env, "extract", "-", "-o", s(tmp.resolve("q")), "-q");
        assertEquals("", quiet.err);
    }

    private static void assertTreesEqual(Path a, Path b) throws IOException {
        if (Files.isRegularFile(a)) {
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
            return;
        }
        try (var s = Files.walk(a)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = b.resolve(a.relativize(p).toString());
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(q), p.toString());
                } else {
                    assertEquals(Files.isDirectory(p), Files.isDirectory(q, java.nio.file.LinkOption.NOFOLLOW_LINKS), p.toString());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "gzip", "xz", "bzip2"})
    void packWritesCompressedCarsThatTheSystemToolDecompresses(String tool) throws Exception {
        Path tree = Fixtures.projectDir().resolve("docs");
        Path plain = tmp.resolve("plain.car");
        assertEquals(0, Cli.run("pack", s(tree), "-o", s(plain), "-q").exit);
        String ext = dev.cartool.car.Compression.byName(tool).extension();
        Path z = tmp.resolve("docs.car" + ext);
        assertEquals(0, Cli.run("pack", s(tree), "-o", s(z), "-q").exit, "compression from the name");
        Path forced = tmp.resolve("forced.car");
        assertEquals(0, Cli.run("pack", s(tree), "-o", s(forced), "--compress", tool, "-q").exit);
        for (Path p : List.of(z, forced)) {
            Process d;
            try {
                d = new ProcessBuilder(tool, "-dc", s(p)).redirectOutput(tmp.resolve("d.car").toFile()).start();
            } catch (IOException e) {
                assumeTrue(false, tool + " is not installed");
                return;
            }
            assertEquals(0, d.waitFor());
            assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(tmp.resolve("d.car")), p.toString());
        }
    }
}
