package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: --json on every verb that reports data (parsed back here), -q on every verb. */
class JsonAndQuietTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode fixture(String name) {
        return Fixtures.json("fixtures.json").get("files").get(name);
    }

    private static String s(Path p) {
        return p.toString();
    }

    private static List<JsonNode> lines(Cli c) throws Exception {
        assertEquals(0, c.exit, c.toString());
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String l : c.out.lines().toList()) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void inspectOfACarIsJsonWhenAskedFor() throws Exception {
        JsonNode r = lines(Cli.run("inspect", "--json", s(Fixtures.testdata("lolcow.car")))).get(0);
        assertEquals(fixture("lolcow.car").get("root").asText(), r.get("roots").get(0).asText());
        assertEquals(3, r.get("blocks").asInt());
        assertTrue(r.get("rootsPresent").asBoolean());
        assertEquals(2, r.get("codecs").get("raw").asInt());
        assertEquals("file", r.get("rootEntity").get("type").asText());
        assertEquals(fixture("lolcow.car").get("content").get("size").asLong(), r.get("rootEntity").get("size").asLong());
        assertTrue(r.get("rootEntity").get("sif").get("summary").asText().startsWith("SIF v01, amd64"), r.toString());
        JsonNode cid = lines(Cli.run("inspect", "--json", fixture("lolcow.car").get("root").asText())).get(0);
        assertEquals("dag-pb", cid.get("codec").get("name").asText());
    }

    @Test
    void lsRootsBlocksStoreLsCidAndPackSpeakJson() throws Exception {
        List<JsonNode> ls = lines(Cli.run("ls", "--json", s(Fixtures.testdata("tree.car"))));
        assertEquals(fixture("tree.car").get("shardedEntries").asInt() + 13, ls.size());
        JsonNode run = ls.stream().filter(n -> n.get("path").asText().equals("tree/a/run.sh")).findFirst().orElseThrow();
        assertEquals("file", run.get("type").asText());
        assertEquals("0755", run.get("mode").asText());
        assertEquals(18, run.get("size").asInt());
        JsonNode link = ls.stream().filter(n -> n.get("path").asText().equals("links/abs")).findFirst().orElseThrow();
        assertEquals("/etc/passwd", link.get("target").asText());

        JsonNode roots = lines(Cli.run("roots", "--json", s(Fixtures.testdata("tree.car")))).get(0);
        assertEquals(fixture("tree.car").get("root").asText(), roots.get("roots").get(0).asText());

        List<JsonNode> blocks = lines(Cli.run("blocks", "--json", s(Fixtures.testdata("lolcow.car"))));
        assertEquals(3, blocks.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(fixture("lolcow.car").get("blocks").get(i).asText(), blocks.get(i).get("cid").asText());
        }
        assertTrue(blocks.get(1).get("offset").asLong() > blocks.get(0).get("offset").asLong());

        Path store = tmp.resolve("store");
        assertEquals(0, Cli.run("import", "-q", "--store", s(store), s(Fixtures.testdata("lolcow.car"))).exit);
        JsonNode stored = lines(Cli.run("store", "ls", "--json", "--store", s(store))).get(0);
        assertEquals(fixture("lolcow.car").get("root").asText(), stored.get("root").asText());
        assertEquals(3, stored.get("blocks").asInt());

        Path sif = tmp.resolve("lolcow.sif");
        assertEquals(0, Cli.run("extract", "-q", s(Fixtures.testdata("lolcow.car")), "-o", s(sif)).exit);
        JsonNode cid = lines(Cli.run("cid", "--json", s(sif))).get(0);
        assertEquals(fixture("lolcow.car").get("root").asText(), cid.get("root").asText());
        assertEquals(344064, cid.get("bytes").asLong());
        JsonNode pack = lines(Cli.run("pack", "-q", "--json", s(sif), "-o", s(tmp.resolve("x.car")))).get(0);
        assertEquals(cid.get("root").asText(), pack.get("root").asText());
    }

    @Test
    void everyVerbTakesQuiet() throws Exception {
        String lolcow = s(Fixtures.testdata("lolcow.car"));
        Path store = tmp.resolve("store");
        assertEquals(0, Cli.run("import", "-q", "--store", s(store), lolcow).exit);
        for (String[] args : List.of(
                new String[] {"verify", "-q", lolcow},
                new String[] {"inspect", "-q", lolcow},
                new String[] {"inspect", "-q", "--full", lolcow},
                new String[] {"roots", "-q", lolcow},
                new String[] {"blocks", "-q", lolcow},
                new String[] {"ls", "-q", s(Fixtures.testdata("tree.car"))},
                new String[] {"extract", "-q", lolcow, "-o", s(tmp.resolve("a.sif"))},
                new String[] {"get", "-q", "--store", s(store), fixture("lolcow.car").get("root").asText(), "-o", s(tmp.resolve("b.sif"))},
                new String[] {"get-block", "-q", lolcow, fixture("lolcow.car").get("blocks").get(1).asText(), "-o", s(tmp.resolve("blk"))},
                new String[] {"cid", "-q", s(tmp.resolve("a.sif"))},
                new String[] {"pack", "-q", s(tmp.resolve("a.sif")), "-o", s(tmp.resolve("p.car"))},
                new String[] {"store", "verify", "-q", "--store", s(store)},
                new String[] {"store", "gc", "-q", "--store", s(store)},
                new String[] {"store", "rm", "-q", "--store", s(store), fixture("lolcow.car").get("root").asText()})) {
            Cli c = Cli.run(args);
            assertEquals(0, c.exit, String.join(" ", args) + ": " + c);
            assertEquals("", c.err, String.join(" ", args) + ": " + c.err);
            boolean dataVerb = args[0].equals("cid") || args[0].equals("pack");
            assertTrue(dataVerb ? !c.out.isEmpty() : c.out.isEmpty(), String.join(" ", args) + ": " + c.out);
        }
    }
}
