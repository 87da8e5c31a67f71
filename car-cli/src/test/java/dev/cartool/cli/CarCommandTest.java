package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cartool.block.Block;
import dev.cartool.car.CarReader;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarCommandTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void oneMappingFromKindToExitCodeAndABugIsNotAUsageError() throws Exception {
        CarCommand.Failure bug = CarCommand.Failure.of(new IllegalArgumentException("index 3 out of bounds"), "x.car");
        assertEquals(CarCommand.DATA_ERROR, bug.code());
        assertEquals("internal", bug.kind());
        assertTrue(bug.message().contains("internal error"), bug.message());
        CarCommand.Failure syntax = CarCommand.Failure.of(new dev.cartool.cid.CidFormatException("not a CID: 'x'"), null);
        assertEquals(CarCommand.USAGE, syntax.code());
        assertEquals("usage", syntax.kind());
        CarCommand.Failure missing = CarCommand.Failure.of(
                new dev.cartool.block.MissingBlockException(dev.cartool.cid.Cid.of(0x55, 0x12, new byte[0])), "x.car");
        assertEquals(CarCommand.DATA_ERROR, missing.code());
        assertEquals("missing-block", missing.kind());
        assertTrue(missing.message().startsWith("x.car: "), missing.message());
        CarCommand.Failure pb = CarCommand.Failure.of(new dev.cartool.dagpb.DagPbException("bad"), "x.car");
        assertEquals("malformed-block", pb.kind());
    }

    @Test
    void inspectOfAValidCarThatIsNotUnixFsExitsZero() throws Exception {
        // DAG-PB without a Data field is valid DAG-PB and not UnixFS (its encoding is empty).
        byte[] empty = new byte[0];
        dev.cartool.cid.Cid root = dev.cartool.cid.Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, empty);
        Path car = tmp.resolve("pb.car");
        try (dev.cartool.car.CarWriter w = dev.cartool.car.CarWriter.create(Files.newOutputStream(car), List.of(root))) {
            w.write(root, empty);
        }
        assertEquals(0, Cli.run("verify", s(car)).exit);
        Cli c = Cli.run("inspect", s(car));
        assertEquals(0, c.exit, c.err);
        assertTrue(c.out.contains("Root entity: dag-pb, not UnixFS"), c.out);
        assertTrue(c.out.startsWith("Version: 1\n"), c.out);
    }

    @Test
    void inspectOfCarV2PrintsGoCarsHeaderLinesThenThePayloadsReport() {
        // go-car's lib/inspect.go: the version, its five CARv2 lines, then the CARv1 report.
        Cli v1 = Cli.run("inspect", s(Fixtures.goCar("sample-v1.car")));
        Cli v2 = Cli.run("inspect", s(Fixtures.goCar("sample-wrapped-v2.car")));
        assertEquals(0, v2.exit, v2.err);
        String rest = v1.out.substring(v1.out.indexOf('\n') + 1);
        String reportOfV1 = rest.substring(0, rest.indexOf("\nRoot file") < 0 ? rest.length() : rest.indexOf("\nRoot file"));
        assertTrue(v2.out.startsWith(String.join("\n",
                "Version: 2",
                "Characteristics: 00000000000000000000000000000000",
                "Data offset: 51",
                "Data (payload) length: 479907",
                "Index offset: 479958",
                "Index type: car-multihash-index-sorted",
                "") + reportOfV1.substring(0, 200)), v2.out);
        Cli indexless = Cli.run("inspect", s(Fixtures.goCar("sample-v2-indexless.car")));
        assertTrue(indexless.out.contains("Index offset: 0\nIndex type: (none)\n"), indexless.out);
    }

    @Test
    void inspectReportMatchesGoCarsLineForLine() {
        String expected = String.join("\n",
                "Version: 1",
                "Roots: bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy",
                "Root blocks present in data: Yes",
                "Block count: 1049",
                "Min / average / max block length (bytes): 1 / 417 / 1342",
                "Min / average / max CID length (bytes): 14 / 37 / 38",
                "Block count per codec:",
                "\traw: 6",
                "\tdag-cbor: 1043",
                "CID count per multihash:",
                "\tidentity: 6",
                "\tblake2b-256: 1043",
                "");
        Path car = Fixtures.goCar("sample-v1.car");
        Cli plain = Cli.run("inspect", s(car));
        assertEquals(0, plain.exit, plain.toString());
        assertEquals(expected, plain.out.replace("\r\n", "\n"));
        Cli full = Cli.run("inspect", "--full", s(car));
        assertEquals(0, full.exit, full.toString());
        assertEquals(expected, full.out.replace("\r\n", "\n"));
    }

    @Test
    void inspectFullCatchesAFlippedByteThatPlainInspectDoesNot() throws IOException {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        car[car.length - 10] ^= 1;
        Path bad = tmp.resolve("bad.car");
        Files.write(bad, car);
        assertEquals(0, Cli.run("inspect", s(bad)).exit);
        Cli full = Cli.run("inspect", "--full", s(bad));
        assertEquals(1, full.exit);
        assertTrue(full.err.contains("hash mismatch"), full.err);
    }

    @Test
    void inspectCidPrintsTheInspectorLineAndFields() {
        Cli c = Cli.run("inspect", "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertEquals(0, c.exit, c.toString());
        List<String> lines = c.out.lines().toList();
        assertEquals("base32 - cidv1 - raw - (sha2-256 : 256 : "
                + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855)", lines.get(0));
        assertTrue(lines.contains("Codec: raw (0x55)"), c.out);
        assertTrue(lines.contains("Multihash: sha2-256 (0x12), 256 bits"), c.out);
        assertTrue(lines.contains("Digest: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), c.out);
        assertTrue(lines.contains("CIDv1 base32: bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"), c.out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Apptainer ipfs:// root: no: codec is raw")), c.out);
    }

    @Test
    void inspectCidV0GivesTheFormApptainerAccepts() throws IOException {
        String root = Fixtures.json("fixtures.json").get("files").get("lolcow-cidv0.car").get("root").asText();
        Cli c = Cli.run("inspect", "--json", "ipfs://" + root + "/lolcow.sif");
        assertEquals(0, c.exit, c.toString());
        JsonNode j = new ObjectMapper().readTree(c.out);
        assertEquals(0, j.get("version").asInt());
        assertEquals("dag-pb", j.get("codec").get("name").asText());
        assertEquals(112, j.get("codec").get("code").asInt());
        assertEquals(256, j.get("multihash").get("bits").asInt());
        assertEquals("/lolcow.sif", j.get("path").asText());
        String v1 = j.get("cidv1Base32").asText();
        assertTrue(v1.startsWith("bafybei"), v1);
        assertFalse(j.get("apptainer").get("accepted").asBoolean());
        // ...and the v1 form is accepted.
        JsonNode again = new ObjectMapper().readTree(Cli.run("inspect", "--json", "/ipfs/" + v1).out);
        assertTrue(again.get("apptainer").get("accepted").asBoolean());
        assertEquals(j.get("multihash").get("digest"), again.get("multihash").get("digest"));
    }

    @Test
    void verifyPassesPeerCarsAndFailsDamagedOnesWithOffsetAndCid() throws IOException {
        Cli ok = Cli.run("verify", s(Fixtures.testdata("lolcow.car")), s(Fixtures.testdata("dagcbor.car")));
        assertEquals(0, ok.exit, ok.toString());
        assertEquals(2, ok.out.lines().filter(l -> l.contains(": OK: ")).count(), ok.out);

        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        Block second;
        try (CarReader r = CarReader.open(Files.newInputStream(Fixtures.testdata("lolcow.car")))) {
            r.next();
            second = r.next();
        }
        byte[] bad = car.clone();
        bad[(int) second.dataOffset() + 1] ^= 1;
        Path badFile = tmp.resolve("flipped.car");
        Files.write(badFile, bad);
        Cli fail = Cli.run("verify", s(Fixtures.testdata("lolcow.car")), s(badFile));
        assertEquals(1, fail.exit, fail.toString());
        assertEquals(1, fail.err.lines().count(), "one line: " + fail.err);
        assertTrue(fail.err.contains(second.cid().toString()), fail.err);
        assertTrue(fail.err.contains("at offset " + String.format("%,d", second.offset())), fail.err);
        assertFalse(fail.err.contains("Exception"), fail.err);

        Path cut = tmp.resolve("cut.car");
        Files.write(cut, Arrays.copyOf(car, car.length - 100));
        Cli trunc = Cli.run("verify", s(cut));
        assertEquals(1, trunc.exit);
        assertTrue(trunc.err.contains("data ends after"), trunc.err);
    }

    @Test
    void verifyJsonIsOneObjectPerFile() throws IOException {
        Cli c = Cli.run("verify", "--json", s(Fixtures.testdata("lolcow-wrapped.car")),
                s(Fixtures.testdata("dagcbor-missing-leaf.car")));
        assertEquals(1, c.exit, c.toString());
        List<String> lines = c.out.lines().toList();
        assertEquals(2, lines.size());
        ObjectMapper m = new ObjectMapper();
        JsonNode good = m.readTree(lines.get(0));
        assertEquals("ok", good.get("status").asText());
        assertEquals(4, good.get("blocks").asInt());
        assertEquals(Files.size(Fixtures.testdata("lolcow-wrapped.car")), good.get("bytes").asLong());
        assertEquals(0, good.get("problems").size());
        JsonNode bad = m.readTree(lines.get(1));
        assertEquals("failed", bad.get("status").asText());
        assertEquals("missing-block", bad.get("problems").get(0).get("kind").asText());
        assertEquals(Fixtures.json("fixtures.json").get("files").get("dagcbor-missing-leaf.car").get("missing").get(0).asText(),
                bad.get("problems").get(0).get("cid").asText());
    }

    @Test
    void goCarsDamagedFixturesAreRejected() {
        for (String f : List.of("badheaderlength.car", "badsectionlength.car", "sample-corrupt-pragma.car",
                "sample-v1-tailing-corrupt-section.car", "sample-rootless-v42.car", "simple-unixfs-missing-blocks.car")) {
            Cli c = Cli.run("verify", s(Fixtures.goCar(f)));
            assertEquals(1, c.exit, f + ": " + c);
            assertEquals(1, c.err.lines().count(), f + ": " + c.err);
        }
        Cli v42 = Cli.run("inspect", s(Fixtures.goCar("sample-rootless-v42.car")));
        assertEquals(1, v42.exit);
        assertTrue(v42.err.contains("unsupported CAR version 42"), v42.err);
        assertEquals(0, Cli.run("verify", s(Fixtures.goCar("sample-v1.car"))).exit);
    }

    @Test
    void aZeroLengthSectionEndsTheDataForInspectAndIsAnErrorForVerifyAsInGoCar() {
        // go-car's rule: an error unless a reader asks to stop there; its `car inspect` asks.
        for (String f : List.of("sample-v1-with-zero-len-section.car", "sample-v1-with-zero-len-section2.car")) {
            Cli inspect = Cli.run("inspect", s(Fixtures.goCar(f)));
            assertEquals(0, inspect.exit, f + ": " + inspect);
            Cli verify = Cli.run("verify", s(Fixtures.goCar(f)));
            assertEquals(1, verify.exit, f + ": " + verify);
            assertTrue(verify.err.contains("length is zero") && verify.err.contains("at offset"), verify.err);
        }
        assertTrue(Cli.run("inspect", s(Fixtures.goCar("sample-v1-with-zero-len-section.car"))).out
                .contains("Block count: 1049"));
    }

    @Test
    void rootsAndBlocksListWhatThePeerWrote() {
        JsonNode expected = Fixtures.json("fixtures.json").get("files").get("lolcow-wrapped.car");
        Cli roots = Cli.run("roots", s(Fixtures.testdata("lolcow-wrapped.car")));
        assertEquals(expected.get("root").asText() + "\n", roots.out.replace("\r\n", "\n"));
        Cli blocks = Cli.run("blocks", s(Fixtures.testdata("lolcow-wrapped.car")));
        assertEquals(0, blocks.exit);
        List<String> want = new java.util.ArrayList<>();
        expected.get("blocks").forEach(n -> want.add(n.asText()));
        assertEquals(want, blocks.out.lines().toList());
        Cli verbose = Cli.run("blocks", "-v", s(Fixtures.testdata("lolcow-wrapped.car")));
        String[] first = verbose.out.lines().findFirst().orElseThrow().split("\t");
        assertEquals(want.get(0), first[0]);
        assertEquals("dag-pb", first[1]);
    }

    @Test
    void getBlockWritesTheVerifiedBytesAndNeverClobbers() throws IOException {
        Path carFile = Fixtures.testdata("lolcow.car");
        Block leaf;
        try (CarReader r = CarReader.open(Files.newInputStream(carFile))) {
            r.next();
            leaf = r.next();
        }
        Cli stdout = Cli.run("get-block", s(carFile), leaf.cid().toString());
        assertEquals(0, stdout.exit, stdout.toString());
        assertArrayEquals(leaf.data(), stdout.binary);

        Path out = tmp.resolve("leaf.bin");
        assertEquals(0, Cli.run("get-block", s(carFile), leaf.cid().toString(), "-o", s(out)).exit);
        assertArrayEquals(leaf.data(), Files.readAllBytes(out));
        Files.write(out, new byte[] {1});
        Cli again = Cli.run("get-block", s(carFile), leaf.cid().toString(), "-o", s(out));
        assertEquals(2, again.exit, again.toString());
        assertTrue(again.err.contains("already exists"), again.err);
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(out));
        assertEquals(0, Cli.run("get-block", s(carFile), leaf.cid().toString(), "-o", s(out), "--force").exit);
        assertArrayEquals(leaf.data(), Files.readAllBytes(out));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(out), files.toList(), "no temp files left");
        }

        Cli missing = Cli.run("get-block", s(carFile), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyka");
        assertEquals(1, missing.exit, missing.toString());
        assertTrue(missing.err.contains("is not in"), missing.err);
    }

    @Test
    void getBlockRefusesACorruptBlockAndLeavesNoFile() throws IOException {
        Path carFile = Fixtures.testdata("lolcow.car");
        Block leaf;
        try (CarReader r = CarReader.open(Files.newInputStream(carFile))) {
            r.next();
            leaf = r.next();
        }
        byte[] car = Files.readAllBytes(carFile);
        car[(int) leaf.dataOffset() + 5] ^= 1;
        Path bad = tmp.resolve("bad.car");
        Files.write(bad, car);
        Path out = tmp.resolve("out.bin");
        Cli c = Cli.run("get-block", s(bad), leaf.cid().toString(), "-o", s(out));
        assertEquals(1, c.exit);
        assertFalse(Files.exists(out));
    }

    @Test
    void dashReadsTheCarFromStdin() throws IOException {
        java.io.InputStream saved = System.in;
        try (java.io.InputStream in = Files.newInputStream(Fixtures.testdata("lolcow-cidv0.car"))) {
            System.setIn(in);
            Cli c = Cli.run("verify", "-");
            assertEquals(0, c.exit, c.toString());
            assertTrue(c.out.startsWith("-: OK: 3 blocks"), c.out);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        Cli badCid = Cli.run("inspect", "bafyNOTACID");
        assertEquals(2, badCid.exit, badCid.toString());
        assertEquals(1, badCid.err.lines().count(), badCid.err);
        Cli noFile = Cli.run("verify", "/nonexistent/x.car");
        assertEquals(2, noFile.exit, noFile.toString());
        assertTrue(noFile.err.contains("no such file"), noFile.err);
        Cli unknownVerb = Cli.run("frobnicate");
        assertEquals(2, unknownVerb.exit);
        assertEquals(1, unknownVerb.err.lines().count(), unknownVerb.err);
        Cli typo = Cli.run("verfy", "x.car");
        assertEquals(2, typo.exit);
        assertTrue(typo.err.contains("did you mean verify"), typo.err);
        Cli missingArg = Cli.run("get-block", s(Fixtures.testdata("lolcow.car")));
        assertEquals(2, missingArg.exit);
        assertEquals(1, missingArg.err.lines().count(), missingArg.err);
        assertTrue(missingArg.err.contains("see 'car get-block --help'"), missingArg.err);
        Cli badGetCid = Cli.run("get-block", s(Fixtures.testdata("lolcow.car")), "nope");
        assertEquals(2, badGetCid.exit, badGetCid.toString());
        Cli dir = Cli.run("verify", s(Fixtures.testdata("lolcow.car").getParent()));
        assertEquals(2, dir.exit, dir.toString());
    }

    @Test
    void stackTracesOnlyWithVerbose() throws IOException {
        Path junk = tmp.resolve("junk.car");
        Files.write(junk, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
        Cli quiet = Cli.run("roots", s(junk));
        assertEquals(1, quiet.exit);
        assertEquals(1, quiet.err.lines().count(), quiet.err);
        Cli verbose = Cli.run("roots", "--verbose", s(junk));
        assertEquals(1, verbose.exit);
        assertTrue(verbose.err.contains("\tat dev.cartool"), verbose.err);
    }

    @Test
    void helpVersionAndExitCodes() {
        Cli help = Cli.run("--help");
        assertEquals(0, help.exit);
        assertTrue(help.out.contains("Exit codes:"), help.out);
        assertTrue(help.out.contains("2   usage error"), help.out);
        for (String verb : List.of("inspect", "verify", "roots", "blocks", "get-block", "extract", "ls", "pack", "cid")) {
            assertTrue(help.out.contains(verb), verb);
            Cli h = Cli.run("help", verb);
            assertEquals(0, h.exit);
            assertTrue(h.out.contains("Usage: car " + verb), h.out);
            Cli dash = Cli.run(verb, "--help");
            assertEquals(0, dash.exit, dash.toString());
            assertEquals(h.out, dash.out);
        }
        Cli v = Cli.run("--version");
        assertEquals(0, v.exit);
        assertTrue(v.out.startsWith("car "), v.out);
    }
}
