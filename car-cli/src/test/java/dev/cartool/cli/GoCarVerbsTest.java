package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.car.CarReader;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** go-car's verbs and habits, checked against go-car's own files. */
class GoCarVerbsTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    private static List<Block> blocks(byte[] car) throws IOException {
        List<Block> out = new ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                out.add(b);
            }
        }
        return out;
    }

    private static Cli withStdin(Path in, String... args) throws IOException {
        InputStream saved = System.in;
        try (InputStream i = Files.newInputStream(in)) {
            System.setIn(i);
            return Cli.run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void indexOfSampleV1IsGoCarsWrappedV2AndItsIndexIsGoCarsCarindex() throws IOException {
        Path v2 = tmp.resolve("v2.car");
        Cli c = Cli.run("index", s(Fixtures.goCar("sample-v1.car")), s(v2));
        assertEquals(0, c.exit, c.toString());
        assertArrayEquals(Fixtures.read(Fixtures.goCar("sample-wrapped-v2.car")), Files.readAllBytes(v2));
        Cli again = Cli.run("index", s(Fixtures.goCar("sample-v1.car")), "-o", s(v2));
        assertEquals(2, again.exit, "not clobbered without --force: " + again);
        assertTrue(again.err.contains(s(v2)), again.err);

        Path idx = tmp.resolve("x.carindex");
        Cli d = Cli.run("detach-index", s(Fixtures.goCar("sample-wrapped-v2.car")), "-o", s(idx));
        assertEquals(0, d.exit, d.toString());
        byte[] goIndex = Fixtures.read(Fixtures.goCar("sample-multihash-index-sorted.carindex"));
        assertArrayEquals(goIndex, Files.readAllBytes(idx));
        Cli detached = Cli.run("index", "--detached", s(Fixtures.goCar("sample-v1.car")), "-o", "-");
        assertEquals(0, detached.exit, detached.toString());
        assertArrayEquals(goIndex, detached.binary);
        Cli sorted = Cli.run("i", "--detached", "--codec", "car-index-sorted", "--fully-indexed",
                s(Fixtures.goCar("sample-v1.car")), "-o", "-");
        assertArrayEquals(Fixtures.read(Fixtures.goCar("sample-index.carindex")), sorted.binary,
                "go-car's older IndexSorted file lists the identity CIDs too");

        Cli piped = withStdin(Fixtures.goCar("sample-wrapped-v2.car"), "detach-index", "-", "-o", "-");
        assertEquals(0, piped.exit, piped.toString());
        assertArrayEquals(goIndex, piped.binary, "from a stream too");
        Cli fromStdin = withStdin(Fixtures.goCar("sample-v1.car"), "index", "-", "-o", "-", "-q");
        assertArrayEquals(Fixtures.read(Fixtures.goCar("sample-wrapped-v2.car")), fromStdin.binary);
        assertEquals("", fromStdin.err, "-q: not even the spooling note");

        Cli v1 = Cli.run("detach-index", s(Fixtures.goCar("sample-v1.car")), "-o", s(tmp.resolve("no.carindex")));
        assertEquals(2, v1.exit, v1.toString());
        assertTrue(v1.err.contains("sample-v1.car: a CARv1 has no index"), v1.err);
        Cli none = Cli.run("detach-index", s(Fixtures.goCar("sample-v2-indexless.car")), "-o", s(tmp.resolve("no.carindex")));
        assertEquals(2, none.exit, none.toString());
        assertFalse(Files.exists(tmp.resolve("no.carindex")));
    }

    @Test
    void verifyNamesTheIndexEntryThatDisagreesWithThePayload() throws IOException {
        byte[] car = Fixtures.read(Fixtures.goCar("sample-wrapped-v2.car"));
        Cli ok = Cli.run("v", s(Fixtures.goCar("sample-wrapped-v2.car")));
        assertEquals(0, ok.exit, ok.toString());
        car[479_958 + 30 + 32] ^= 4; // the first entry's offset
        Path bad = Files.write(tmp.resolve("bad.car"), car);
        Cli c = Cli.run("verify", s(bad));
        assertEquals(1, c.exit, c.toString());
        assertTrue(c.err.contains("bad.car") && c.err.contains("CARv2 index entry at offset 479,988"), c.err);
        // get-block from a file reads through the index, which cannot make it take a wrong block: the
        // block the lying entry names is refused at the offset it gives; the others are found.
        List<Block> all = blocks(Fixtures.read(Fixtures.goCar("sample-v1.car")));
        Block lied = all.stream().filter(b -> java.util.HexFormat.of().formatHex(b.cid().multihash().digest())
                .startsWith("009aee3d")).findFirst().orElseThrow();
        Cli x = Cli.run("get-block", s(bad), lied.cid().toString(), "-o", s(tmp.resolve("b")));
        assertEquals(1, x.exit, x.toString());
        assertTrue(x.err.contains("the index puts block " + lied.cid()), x.err);
        assertFalse(Files.exists(tmp.resolve("b")));
        Block other = all.get(all.size() - 1);
        Cli y = Cli.run("gb", s(bad), other.cid().toString(), "-o", "-");
        assertEquals(0, y.exit, y.toString());
        assertArrayEquals(other.data(), y.binary);
    }

    @Test
    void packCarVersion2CarriesTheCarV1PackAsItsPayload() throws IOException {
        Path v1 = tmp.resolve("v1.car");
        Path v2 = tmp.resolve("v2.car");
        Path tree = Path.of(s(Fixtures.projectDir().resolve("docs")));
        assertEquals(0, Cli.run("pack", s(tree), "-o", s(v1), "-q").exit);
        Cli c = Cli.run("pack", s(tree), "-o", s(v2), "--car-version", "2", "-q");
        assertEquals(0, c.exit, c.toString());
        byte[] a = Files.readAllBytes(v1);
        byte[] b = Files.readAllBytes(v2);
        assertArrayEquals(a, Arrays.copyOfRange(b, 51, 51 + a.length));
        assertEquals(0, Cli.run("verify", s(v2)).exit);
        // go-car's create: a CARv2 by default, wrapped in a directory unless --no-wrap.
        Path created = tmp.resolve("c.car");
        Cli cr = Cli.run("create", "-f", s(created), "--no-wrap", s(tree));
        assertEquals(0, cr.exit, cr.toString());
        assertArrayEquals(b, Files.readAllBytes(created));
        Cli wrapped = Cli.run("c", "--file", s(tmp.resolve("w.car")), "--version", "1", s(tree));
        Cli wrappedPack = Cli.run("pack", "-w", s(tree), "-o", s(tmp.resolve("w1.car")));
        assertEquals(wrappedPack.out, wrapped.out, "the same root as pack -w");
        assertArrayEquals(Files.readAllBytes(tmp.resolve("w1.car")), Files.readAllBytes(tmp.resolve("w.car")));
    }

    @Test
    void filterKeepsOrDropsTheListedBlocksByMultihash() throws IOException {
        List<Block> all = blocks(Fixtures.read(Fixtures.testdata("tree.car")));
        // The list names two blocks, one of them by its CIDv0 form where it has one, plus noise.
        Block first = all.get(0);
        Block third = all.get(2);
        assertEquals(0x70, first.cid().codec(), "tree.car starts with its dag-pb root");
        String firstText = dev.cartool.cid.Cid.v0(first.cid().multihash()).toString();
        assertTrue(firstText.startsWith("Qm"), firstText);
        Path list = Files.writeString(tmp.resolve("cids.txt"), "# keep these\n" + firstText + "\n\n  " + third.cid() + "  \n");
        Path kept = tmp.resolve("kept.car");
        Cli c = Cli.run("filter", s(Fixtures.testdata("tree.car")), s(kept), "--cids", s(list));
        assertEquals(0, c.exit, c.toString());
        List<Block> k = blocks(Files.readAllBytes(kept));
        assertEquals(List.of(first.cid(), third.cid()), k.stream().map(Block::cid).toList());
        Path dropped = tmp.resolve("dropped.car");
        Cli inv = Cli.run("f", s(Fixtures.testdata("tree.car")), "-o", s(dropped), "--cid-file", s(list), "--inverse");
        assertEquals(0, inv.exit, inv.toString());
        List<Block> d = blocks(Files.readAllBytes(dropped));
        assertEquals(all.size() - 2, d.size());
        assertFalse(d.stream().anyMatch(b -> b.cid().equals(first.cid()) || b.cid().equals(third.cid())));
        Path badList = Files.writeString(tmp.resolve("bad.txt"), first.cid() + "\nnot-a-cid\n");
        Cli bad = Cli.run("filter", s(Fixtures.testdata("tree.car")), "-o", s(tmp.resolve("x.car")), "--cids", s(badList));
        assertEquals(2, bad.exit, bad.toString());
        assertTrue(bad.err.contains("bad.txt:2: not a CID"), bad.err);
        assertFalse(Files.exists(tmp.resolve("x.car")));
    }

    @Test
    void getDagWritesASubDagThatVerifiesOnItsOwn() throws IOException {
        Path tree = Fixtures.testdata("tree.car");
        String root = Cli.run("roots", s(tree)).out.strip();
        Path sub = tmp.resolve("sub.car");
        Cli c = Cli.run("get-dag", s(tree), root + "/tree/a", s(sub));
        assertEquals(0, c.exit, c.toString());
        assertEquals(0, Cli.run("verify", s(sub)).exit, "a whole DAG of its own");
        Cli ls = Cli.run("ls", s(sub));
        Cli lsOrig = Cli.run("ls", s(tree), "tree/a");
        assertEquals(lsOrig.out, ls.out);
        Path x1 = tmp.resolve("x1");
        Path x2 = tmp.resolve("x2");
        assertEquals(0, Cli.run("extract", s(sub), "-o", s(x1), "-q").exit);
        assertEquals(0, Cli.run("extract", s(tree), "tree/a", "-o", s(x2), "-q").exit);
        assertEquals(Files.readString(x2.resolve("b/c.txt")), Files.readString(x1.resolve("b/c.txt")));

        Path proof = tmp.resolve("proof.car");
        assertEquals(0, Cli.run("gd", s(tree), root + "/tree/a/b/c.txt", s(proof), "--with-path", "--scope", "block").exit);
        List<Block> p = blocks(Files.readAllBytes(proof));
        assertEquals(root, p.get(0).cid().toString(), "the path's blocks come first, from the root");
        assertEquals(5, p.size(), "root, tree, a, b and the file's block");
        assertEquals(1, Cli.run("verify", s(proof)).exit, "part of a DAG by design");
        assertEquals(0, Cli.run("verify", "--partial", s(proof)).exit);
        Cli nope = Cli.run("get-dag", s(tree), root + "/no/such", s(tmp.resolve("n.car")));
        assertEquals(1, nope.exit, nope.toString());
        assertFalse(Files.exists(tmp.resolve("n.car")));
    }

    @Test
    void concatJoinsRootsOnceAndEveryBlock() throws IOException {
        Path out = tmp.resolve("both.car");
        Path a = Fixtures.testdata("lolcow.car");
        Path b = Fixtures.testdata("tree.car");
        Cli c = Cli.run("concat", s(a), s(b), s(a), "-o", s(out));
        assertEquals(0, c.exit, c.toString());
        byte[] joined = Files.readAllBytes(out);
        try (CarReader r = CarReader.open(new ByteArrayInputStream(joined))) {
            String ra = Cli.run("roots", s(a)).out.strip();
            String rb = Cli.run("roots", s(b)).out.strip();
            assertEquals(List.of(ra, rb), r.header().roots().stream().map(Object::toString).toList());
        }
        int n = blocks(Fixtures.read(a)).size() * 2 + blocks(Fixtures.read(b)).size();
        assertEquals(n, blocks(joined).size());
        assertEquals(0, Cli.run("verify", s(out)).exit);
        Cli one = Cli.run("concat", s(a), "-o", s(tmp.resolve("one.car")));
        assertEquals(2, one.exit, "two inputs at least: " + one);
    }

    @Test
    void goCarSpellingsReachOurVerbs() throws IOException {
        Path car = Fixtures.goCar("sample-v1.car");
        assertEquals(Cli.run("roots", s(car)).out, Cli.run("root", s(car)).out);
        assertEquals(0, Cli.run("v", s(car)).exit);
        Cli ls = Cli.run("ls", "--cids", s(car));
        assertEquals(Cli.run("blocks", s(car)).out, ls.out);
        assertEquals(1049, ls.out.lines().count());
        Cli list = Cli.run("list", "--unixfs", s(Fixtures.testdata("tree.car")));
        assertEquals(Cli.run("ls", s(Fixtures.testdata("tree.car"))).out, list.out);
    }
}
