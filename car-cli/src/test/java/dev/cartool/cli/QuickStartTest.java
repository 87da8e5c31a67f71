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
 * {@code roots} and {@code inspect} run without picocli when their arguments are plain; these
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
            {"verify", car}, {"extract", car}, {"--version"}, {"help", "roots"}, {"roots", "--json"},
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
