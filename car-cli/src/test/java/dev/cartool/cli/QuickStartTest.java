package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cartool.testing.Fixtures;

/**
 * The verbs of {@link QuickStart} run without picocli when their arguments are plain; these
 * tests hold that path to what picocli's gives for the same arguments (output, error, exit
 * code), and check that it takes exactly the argument lists it should.
 */
class QuickStartTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> ENV = System.getenv();

    private static final String CID_V1 = "bafybeifw7qvanfmqmnrsfhxdvtyj2q7756wbgi5bgrl7zxtwjb6ixlpxda";
    private static final String CID_V0 = "QmPZ9gcCEpqKTo6aq61g2nXGUhM4iCL3ewB6LDXZCtioEB";

    /** Files of every shape: peer-made, go-car's (sound and damaged), made-up damage, compressed. */
    private List<String> cars() throws IOException {
        List<String> files = new ArrayList<>();
        for (String n : List.of("lolcow.car", "lolcow-cidv0.car", "tree.car", "dagcbor-missing-leaf.car",
                "range-raw.car", "dag-vectors.car")) {
            files.add(Fixtures.testdata(n).toString());
        }
        Path goCar = Fixtures.projectDir().resolve("../shared/fixtures/go-car");
        if (Files.isDirectory(goCar)) {
            try (Stream<Path> s = Files.list(goCar)) {
                s.filter(p -> p.toString().endsWith(".car")).sorted().forEach(p -> files.add(p.toString()));
            }
        }
        byte[] lolcow = Files.readAllBytes(Fixtures.testdata("lolcow.car"));
        Path truncated = tmp.resolve("truncated.car");
        Files.write(truncated, Arrays.copyOf(lolcow, 30));
        Path flipped = tmp.resolve("flipped.car");
        byte[] f = lolcow.clone();
        f[f.length - 100] ^= 1;
        Files.write(flipped, f);
        Path empty = Files.createFile(tmp.resolve("empty.car"));
        Path gz = tmp.resolve("lolcow.car.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(lolcow);
        }
        files.addAll(List.of(truncated.toString(), flipped.toString(), empty.toString(), gz.toString(),
                Fixtures.testdata("cids.json").toString(), tmp.resolve("missing.car").toString(),
                tmp.toString(), ""));
        return files;
    }

    private static void same(String... args) {
        Cli quick = Cli.quick(ENV, args);
        assertNotNull(quick, () -> "not taken by the quick path: " + List.of(args));
        Cli picocli = Cli.runWith(ENV, args);
        assertEquals(picocli.toString(), quick.toString(), () -> "for " + List.of(args));
    }

    @Test
    void theVersionIsWhatPicocliPrints() {
        same("--version");
        same("-V");
        assertTrue(Cli.quick(ENV, "--version").out.startsWith("car "));
    }

    @Test
    void rootsOfEveryFileAreWhatPicocliPrints() throws IOException {
        for (String car : cars()) {
            same("roots", car);
            same("root", car);
            same("roots", "--json", car);
            same("roots", car, "-q");
            same("roots", "--quiet", "--json", car, "--allow-truncated-digests");
        }
    }

    @Test
    void inspectOfEveryFileAreWhatPicocliPrints() throws IOException {
        for (String car : cars()) {
            same("inspect", car);
            same("inspect", car, "--json");
            same("inspect", "--full", car);
            same("inspect", "--full", "--json", "-q", car);
        }
    }

    @Test
    void inspectOfCidsAndPathsIsWhatPicocliPrints() {
        for (String target : List.of(CID_V1, CID_V0, "zdj7WWeQ43G6JJvLWQWZpyHuAMq6uYWRjkBXFad11vE2LHhQ7",
                "f01551220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "ipfs://" + CID_V1 + "/a/b", "/ipfs/" + CID_V0 + "/x", CID_V1 + "/sub",
                "bafy", "notacid", "nothing.car", "dir/nothing")) {
            same("inspect", target);
            same("inspect", "--json", target);
            same("inspect", target, "-q");
        }
    }

    @Test
    void verifyOfEveryFileAndBatchIsWhatPicocliPrints() throws IOException {
        List<String> cars = cars();
        for (String car : cars) {
            same("verify", car);
            same("v", "--json", car);
            same("verify", car, "--partial", "-q");
            same("verify", "--threads", "1", car);
        }
        same("verify", lolcow(), "--threads", "0"); // a usage error from the verb, on both paths
        same("verify", "--threads", "007", lolcow(), "--json");
        String lolcow = lolcow();
        same("verify", lolcow, cars.get(cars.size() - 5), "--json", lolcow); // sound, damaged, sound again
        same("verify", "--quiet", lolcow, Fixtures.testdata("tree.car").toString());
    }

    private static String lolcow() {
        return Fixtures.testdata("lolcow.car").toString();
    }

    /** Runs both paths in turn, each into a fresh {@code out}; compares their reports and what they wrote. */
    private void sameExtract(Path out, String... args) throws IOException {
        Fixtures.deleteTree(out);
        Cli quick = Cli.quick(ENV, args);
        assertNotNull(quick, () -> "not taken by the quick path: " + List.of(args));
        String quickTree = describe(out) + Arrays.toString(quick.binary);
        Fixtures.deleteTree(out);
        Cli picocli = Cli.runWith(ENV, args);
        assertEquals(picocli.toString(), quick.toString(), () -> "for " + List.of(args));
        assertEquals(describe(out) + Arrays.toString(picocli.binary), quickTree, () -> "written by " + List.of(args));
        Fixtures.deleteTree(out);
    }

    /** A file's or tree's names and contents, as text to compare. */
    private static String describe(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "(nothing)";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted().toList()) {
                sb.append(p.relativize(f)).append(Files.isRegularFile(f)
                        ? " " + Arrays.hashCode(Files.readAllBytes(f)) + "\n" : "/\n");
            }
        }
        return sb.toString();
    }

    @Test
    void extractOfEveryFileIsWhatPicocliDoes() throws IOException {
        Path out = tmp.resolve("out");
        for (String car : cars()) {
            sameExtract(out, "extract", car, "-o", out.toString());
            sameExtract(out, "x", "-q", "--partial", car, "--output", out.toString());
        }
        String wrapped = Fixtures.testdata("lolcow-wrapped.car").toString();
        String lolcow = Fixtures.testdata("lolcow.car").toString();
        sameExtract(out, "extract", wrapped, "lolcow.sif", "-o", out.toString(), "-q");
        sameExtract(out, "extract", wrapped, "nothing-here", "-o", out.toString());
        sameExtract(out, "extract", "--root", CID_V1, lolcow, "-o", out.toString());
        sameExtract(out, "extract", "--root", "notacid", lolcow, "-o", out.toString());
        sameExtract(out, "extract", lolcow, "-o", "-");
        Path there = tmp.resolve("there.sif");
        refusedThenForced("extract", lolcow, there);
        String want = Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("content").get("sha256").asText();
        assertEquals(want, sha256(there), "the image, as the JS stack recorded it");
    }

    /** An output that is there already: refused as picocli's path refuses it, then replaced with -f. */
    private static void refusedThenForced(String verb, String input, Path out) throws IOException {
        Files.writeString(out, "keep");
        Cli refused = Cli.quick(ENV, verb, input, "-o", out.toString());
        assertEquals(Cli.runWith(ENV, verb, input, "-o", out.toString()).toString(), String.valueOf(refused));
        assertEquals("keep", Files.readString(out));
        Cli forced = Cli.quick(ENV, verb, "-f", input, "-o", out.toString());
        assertEquals(0, forced.exit, forced.toString());
    }

    private static String sha256(Path p) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cidAndPackAreWhatPicocliDoes() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.writeString(tree.resolve("a.txt"), "a\n");
        Files.writeString(tmp.resolve("tree/.hidden"), "h\n");
        Files.write(tmp.resolve("tree/b.bin"), Files.readAllBytes(Fixtures.testdata("lolcow.car")));
        Path tar = tmp.resolve("tree.tar"); // the JS stack's tree, as a tar
        Cli t = Cli.runWith(ENV, "extract", Fixtures.testdata("tree.car").toString(), "-o", tar.toString());
        assertEquals(0, t.exit, t.toString());
        String lolcow = Fixtures.testdata("lolcow.car").toString();
        // Not '-': standard input is the test runner's (the process tests pipe tars to it).
        List<String> inputs = List.of(lolcow, tmp.resolve("tree").toString(), tar.toString(),
                tmp.resolve("missing").toString(), tmp.resolve("tree/sub").toString());
        Path out = tmp.resolve("out.car");
        for (String in : inputs) {
            same("cid", in);
            same("cid", "--json", "-w", in);
            same("cid", "-H", "--wrap", in, "-q");
            same("cid", "--threads", "1", in);
            sameExtract(out, "pack", in, "-o", out.toString());
            sameExtract(out, "pack", "-w", "-H", "--json", in, "--output", out.toString());
        }
        same("cid", lolcow, tmp.resolve("tree/a.txt").toString()); // two inputs: wrapped, as ipfs add
        sameExtract(out, "pack", "-q", lolcow, tmp.resolve("tree").toString(), "-o", out.toString());
        sameExtract(out, "pack", lolcow); // no output: a usage error from the verb
        sameExtract(out, "pack", "--threads", "3", lolcow, "-o", out.toString());
        same("cid", "--threads", "0", lolcow);
        sameExtract(out, "pack", lolcow, "-o", "-"); // the CAR on stdout
        refusedThenForced("pack", lolcow, out);
        assertEquals(Cli.quick(ENV, "cid", lolcow).out, Cli.quick(ENV, "roots", out.toString()).out);
    }

    @Test
    void lsAndBlocksOfEveryFileAreWhatPicocliPrints() throws IOException {
        for (String car : cars()) {
            same("ls", car);
            same("list", "-l", car);
            same("ls", "--json", car, "-q");
            same("ls", "--cids", car);
            same("ls", car, "--unixfs");
            same("blocks", car);
            same("blocks", "-v", car);
            same("blocks", "--json", "--verbose-list", car);
        }
        String tree = Fixtures.testdata("tree.car").toString();
        same("ls", tree, "a");
        same("ls", tree, "no/such/path");
        same("ls", "--root", CID_V1, Fixtures.testdata("lolcow.car").toString());
        same("ls", "--cids", tree, "a"); // a usage error from the verb, on both paths
    }

    /**
     * Runs {@code import} on both paths, each into a store of its own (STORE in {@code args}):
     * the same report (the store's name aside) and the same roots in the store.
     */
    private void sameImport(String... args) throws IOException {
        Path q = tmp.resolve("store-quick");
        Path p = tmp.resolve("store-picocli");
        Fixtures.deleteTree(q);
        Fixtures.deleteTree(p);
        Cli quick = Cli.quick(ENV, Arrays.stream(args).map(x -> x.replace("STORE", q.toString())).toArray(String[]::new));
        assertNotNull(quick, () -> "not taken by the quick path: " + List.of(args));
        Cli picocli = Cli.runWith(ENV, Arrays.stream(args).map(x -> x.replace("STORE", p.toString())).toArray(String[]::new));
        assertEquals(picocli.toString().replace(p.toString(), "STORE"), quick.toString().replace(q.toString(), "STORE"),
                () -> "for " + List.of(args));
        assertEquals(roots(p), roots(q), () -> "imported by " + List.of(args));
    }

    private static String roots(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return "(no store)";
        }
        try (dev.cartool.store.CarStore s = dev.cartool.store.CarStore.openExisting(store)) {
            return s.list().stream().map(e -> e.root().toString()).sorted().toList().toString();
        }
    }

    @Test
    void importAndGetAreWhatPicocliDoes() throws IOException {
        String lolcow = Fixtures.testdata("lolcow.car").toString();
        String tree = Fixtures.testdata("tree.car").toString();
        sameImport("import", "--store", "STORE", lolcow);
        sameImport("import", "-q", "--store", "STORE", lolcow, tree, "--json");
        sameImport("import", "--stats", "--store", "STORE", Fixtures.testdata("dagcbor-missing-leaf.car").toString(), lolcow);
        sameImport("import", "--store", "STORE", tmp.resolve("missing.car").toString());
        sameImport("import", "--store", "STORE", "--path", "x", lolcow); // --path without --apptainer-cache
        Path store = tmp.resolve("store");
        assertEquals(0, Cli.runWith(ENV, "import", "-q", "--store", store.toString(), lolcow, tree).exit);
        Path out = tmp.resolve("got");
        sameExtract(out, "get", "--store", store.toString(), CID_V1, "-o", out.toString());
        sameExtract(out, "get", "-q", "--store", store.toString(), "ipfs://" + CID_V1, "--output", out.toString(), "--partial");
        sameExtract(out, "get", "--store", store.toString(), "bafkqaaa", "-o", out.toString()); // not in the store
        sameExtract(out, "get", "--store", tmp.resolve("no-store").toString(), CID_V1, "-o", out.toString());
        sameExtract(out, "get", "--store", store.toString(), CID_V1, "-o", "-");
        Path there = tmp.resolve("there.sif");
        Files.writeString(there, "keep");
        Cli refused = Cli.quick(ENV, "get", "--store", store.toString(), CID_V1, "-o", there.toString());
        assertEquals(Cli.runWith(ENV, "get", "--store", store.toString(), CID_V1, "-o", there.toString()).toString(),
                String.valueOf(refused));
        assertEquals("keep", Files.readString(there));
        assertEquals(0, Cli.quick(ENV, "get", "-f", "--store", store.toString(), CID_V1, "-o", there.toString()).exit);
        same("store", "ls", "--store", store.toString());
        same("store", "ls", "--json", "--store", store.toString(), "-q");
        same("store", "verify", "--store", store.toString());
        same("store", "verify", "-q", "--store", store.toString());
        same("store", "ls", "--store", tmp.resolve("no-store").toString());
        same("store", "verify", "--store", tmp.resolve("no-store").toString());
        // A stored CAR damaged on disk: both paths name it and exit 1.
        try (Stream<Path> cars = Files.walk(store)) {
            Path stored = cars.filter(f -> f.toString().endsWith(".car") && Files.isRegularFile(f)).findFirst().orElseThrow();
            byte[] b = Files.readAllBytes(stored);
            b[b.length - 50] ^= 1;
            Files.write(stored, b);
        }
        same("store", "verify", "--store", store.toString());
    }

    @Test
    void verboseFailuresStartWithTheSameLine() {
        String missing = tmp.resolve("missing.car").toString();
        Cli quick = Cli.quick(ENV, "roots", "--verbose", missing);
        Cli picocli = Cli.runWith(ENV, "roots", "--verbose", missing);
        assertNotNull(quick);
        assertEquals(picocli.exit, quick.exit);
        assertEquals(picocli.err.lines().findFirst(), quick.err.lines().findFirst());
        assertTrue(quick.err.contains("NoSuchFileException"), quick.err); // the stack, as asked
    }

    @Test
    void anythingButPlainArgumentsIsLeftToPicocli() {
        String car = Fixtures.testdata("lolcow.car").toString();
        for (String[] args : new String[][] {
            {}, {"roots"}, {"inspect"}, {"roots", "--help"}, {"roots", "-h", car}, {"inspect", "--help"},
            {"roots", car, car}, {"roots", "--", car}, {"roots", "@" + car}, {"roots", "-qv", car},
            {"roots", "--json", "--json", car}, {"roots", "-q", "--quiet", car}, {"roots", "--full", car},
            {"roots", "--json=true", car}, {"inspect", "--frob", car}, {"inspect", "-x"},
            {"--version", "--version"}, {"-V", "roots"}, {"help", "roots"}, {"roots", "--json"}, {"verify"}, {"verify", "--threads", "x", car},
            {"verify", "--threads", "-1", car}, {"verify", "--threads", "1234567890", car}, {"verify", "--threads", "", car},
            {"verify", "--threads=2", car}, {"verify", "--threads", "2", "--threads", "3", car}, {"extract", car, "--threads", "2", "-o", "x"},
            {"cid", "--threads", "+2", car}, {"verify", car, "--threads"},
            {"verify", "--json", "--json", car}, {"verify", "--full", car}, {"extract", car, "-o"},
            {"extract", car, "-o", "--force"}, {"extract", car, "--output=x"}, {"extract", car, "-ox"},
            {"extract", car, "-o", "@x"}, {"extract", car, "-o", ""}, {"extract", car, "a", "b", "-o", "x"},
            {"extract", car, "--json", "-o", "x"}, {"extract", car, "-o", "x", "-o", "y"}, {"ls", car, "--max-entries", "5"},
            {"ls", car, "-l", "-l"}, {"ls", car, "a", "b"}, {"ls", "-lR", car}, {"blocks", car, "x"}, {"blocks", "-vq", car},
            {"blocks", car, "-l"}, {"ls", car, "-v"}, {"verify", "-v", car},
            {"import", "--store=x", car}, {"get", "--store", "s", "a", "b"}, {"get", "--store", "s", "x", "--format", "tar"},
            {"import", "--path", "--json", car}, {"get", "--store", "s", "x", "--max-size", "1G"}, {"import"},
            {"store"}, {"store", "rm", car}, {"store", "ls", car}, {"store", "gc"}, {"store", "--store", "s", "ls"},
            {"store", "verify", "--json"},
            {"extract", car, "--max-size", "1G", "-o", "x"}, {"extract", car, "--format", "tar", "-o", "x"},
            {"cid"}, {"cid", "--profile", "unixfs-v1-2025", car}, {"cid", "-s", "size-1024", car},
            {"cid", "--cid-version", "0", car}, {"cid", "-o", "x", car}, {"pack", "-o", "x"},
            {"pack", car, "--car-version", "2", "-o", "x"}, {"pack", car, "--compress", "zstd", "-o", "x"},
            {"pack", car, "-wH", "-o", "x"}, {"cid", "bad\u0000path"},
        }) {
            assertNull(Cli.quick(ENV, args), () -> "taken by the quick path: " + List.of(args));
        }
    }

    @Test
    void theProcessTakesTheQuickPathAndPrintsTheRoots() throws Exception {
        // main() itself: no picocli class beyond those the verb classes name is initialised, and
        // the output is the header's root.
        Path car = Fixtures.testdata("lolcow.car");
        Path out = tmp.resolve("out.txt");
        Proc p = Proc.run(List.of("-verbose:class"), tmp, out.toFile(), null, "roots", car.toString());
        assertEquals(0, p.exit, p.toString());
        String text = Files.readString(out);
        assertTrue(text.contains(CID_V1 + "\n"), text);
        assertTrue(!text.contains("picocli.CommandLine$Interpreter"), "picocli parsed the arguments");
    }
}
