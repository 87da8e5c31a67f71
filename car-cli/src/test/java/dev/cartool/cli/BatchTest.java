package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: verbs that take several files process every one, name each failure, and say so in the exit code. */
class BatchTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    private Path bad() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        car[car.length - 10] ^= 1;
        return Files.write(tmp.resolve("bad.car"), car);
    }

    @Test
    void verifyChecksEveryFileAndNamesEachFailure() throws Exception {
        String good = s(Fixtures.testdata("lolcow.car"));
        String missing = s(tmp.resolve("missing.car"));
        Cli onlyMissing = Cli.run("verify", missing, good);
        assertEquals(2, onlyMissing.exit, "a usage failure alone: " + onlyMissing);
        assertTrue(onlyMissing.out.contains(good + ": OK"), "the good file was still checked: " + onlyMissing);
        assertTrue(onlyMissing.err.contains(missing + ": no such file"), onlyMissing.err);
        Cli mixed = Cli.run("verify", missing, s(bad()), good);
        assertEquals(1, mixed.exit, "a data failure makes it 1: " + mixed);
        assertEquals(2, mixed.err.lines().count(), mixed.err);
        Cli json = Cli.run("verify", "--json", missing, s(bad()), good);
        List<String> lines = json.out.lines().toList();
        assertEquals(3, lines.size(), json.out);
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(lines.get(0));
        assertEquals(missing, first.get("file").asText());
        assertEquals("error", first.get("status").asText());
        assertEquals("usage", first.get("problems").get(0).get("kind").asText());
        assertEquals("failed", m.readTree(lines.get(1)).get("status").asText());
        assertEquals("ok", m.readTree(lines.get(2)).get("status").asText());
    }

    @Test
    void importImportsEveryGoodCarAndNamesTheBadOne() throws Exception {
        Path store = tmp.resolve("store");
        Cli c = Cli.run("import", "--store", s(store), s(Fixtures.testdata("lolcow.car")), s(bad()),
                s(Fixtures.testdata("tree.car")));
        assertEquals(1, c.exit, c.toString());
        assertEquals(1, c.err.lines().count(), c.err);
        assertTrue(c.err.startsWith("car import: " + tmp.resolve("bad.car") + ": "), c.err);
        assertEquals(2, c.out.lines().filter(l -> l.startsWith("Pinned root")).count(), c.out);
        Cli ls = Cli.run("store", "ls", "--store", s(store));
        assertEquals(2, ls.out.lines().count(), ls.out);
        Cli json = Cli.run("import", "--json", "--store", s(store), s(tmp.resolve("nope.car")), s(Fixtures.testdata("tree.car")));
        List<String> lines = json.out.lines().toList();
        assertEquals(2, lines.size(), json.toString());
        ObjectMapper m = new ObjectMapper();
        assertEquals("error", m.readTree(lines.get(0)).get("status").asText());
        JsonNode ok = m.readTree(lines.get(1));
        assertEquals("ok", ok.get("status").asText());
        assertTrue(ok.get("alreadyPresent").asBoolean());
        assertEquals(2, json.exit);
        Cli quiet = Cli.run("import", "-q", "--store", s(store), s(Fixtures.testdata("zeros-kubo.car")));
        assertEquals(0, quiet.exit, quiet.toString());
        assertEquals("", quiet.out + quiet.err);
    }

    @Test
    void storeRmRemovesEveryGoodCidAndNamesTheRest() throws Exception {
        Path store = tmp.resolve("store");
        assertEquals(0, Cli.run("import", "-q", "--store", s(store), s(Fixtures.testdata("lolcow.car")),
                s(Fixtures.testdata("tree.car"))).exit);
        String lolcow = Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("root").asText();
        String tree = Fixtures.json("fixtures.json").get("files").get("tree.car").get("root").asText();
        Cli c = Cli.run("store", "rm", "--store", s(store), "not-a-cid", lolcow, tree);
        assertEquals(2, c.exit, c.toString());
        assertTrue(c.err.startsWith("car store rm: not-a-cid: "), c.err);
        assertEquals("", Cli.run("store", "ls", "--store", s(store)).out, "both real roots removed");
    }
}
