package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Multicodec;
import dev.cartool.error.Kind;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CarVerifierTest {
    private static VerifyReport verify(byte[] car) {
        return new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(new ByteArrayInputStream(car));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lolcow.car", "lolcow-wrapped.car", "lolcow-cidv0.car", "lolcow-ipfs-car.car", "dagcbor.car"})
    void peerMadeCarsPass(String name) throws CidFormatException {
        byte[] car = Fixtures.read(Fixtures.testdata(name));
        VerifyReport r = verify(car);
        assertTrue(r.ok(), r.problems().toString());
        JsonNode expected = Fixtures.json("fixtures.json").get("files").get(name);
        assertEquals(expected.get("blocks").size(), r.blocks());
        assertEquals(car.length, r.bytes());
        assertEquals(List.of(Cid.parse(expected.get("root").asText())), r.roots());
    }

    @Test
    void goCarSamplesPassOrFailAsGoCarSays() {
        assertTrue(verify(Fixtures.read(Fixtures.goCar("sample-v1.car"))).ok());
        assertTrue(verify(Fixtures.read(Fixtures.goCar("simple-unixfs.car"))).ok());
        VerifyReport missing = verify(Fixtures.read(Fixtures.goCar("simple-unixfs-missing-blocks.car")));
        assertFalse(missing.ok());
        assertTrue(missing.problems().stream().allMatch(p -> p.kind() == Kind.MISSING_BLOCK), missing.problems().toString());
        // b/4, b/5/E.txt and b/6 are gone: three links point at nothing.
        assertEquals(3, missing.problems().size());
        for (String bad : List.of("badheaderlength.car", "badsectionlength.car", "sample-corrupt-pragma.car",
                "sample-v1-tailing-corrupt-section.car", "sample-v2-corrupt-data-and-index.car",
                "sample-rootless-v42.car")) {
            assertFalse(verify(Fixtures.read(Fixtures.goCar(bad))).ok(), bad);
        }
    }

    @Test
    void aMissingDagCborLinkIsFoundAndNamed() throws CidFormatException {
        JsonNode expected = Fixtures.json("fixtures.json").get("files").get("dagcbor-missing-leaf.car");
        VerifyReport r = verify(Fixtures.read(Fixtures.testdata("dagcbor-missing-leaf.car")));
        assertFalse(r.ok());
        assertEquals(1, r.problems().size());
        VerifyReport.Problem p = r.problems().get(0);
        assertEquals(Kind.MISSING_BLOCK, p.kind());
        assertEquals(Cid.parse(expected.get("missing").get(0).asText()), p.cid());
    }

    @Test
    void corruptionStopsAtTheFirstBadBlockWithItsOffset() throws IOException {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow-wrapped.car"));
        List<Block> blocks = CarReaderTest.readAll(car, CarReaderOptions.DEFAULTS);
        byte[] bad = car.clone();
        bad[(int) blocks.get(2).dataOffset() + 7] ^= 1;
        bad[(int) blocks.get(3).dataOffset() + 7] ^= 1;
        VerifyReport r = verify(bad);
        assertEquals(1, r.problems().size());
        assertEquals(Kind.HASH_MISMATCH, r.problems().get(0).kind());
        assertEquals(blocks.get(2).offset(), r.problems().get(0).offset());
        assertEquals(blocks.get(2).cid(), r.problems().get(0).cid());
        assertEquals(2, r.blocks());
    }

    @Test
    void missingRootAndNoRoots() throws IOException {
        Cid absent = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {42});
        byte[] data = {1, 2, 3};
        Cid present = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, data);
        VerifyReport r = verify(car(List.of(absent), present, data));
        assertEquals(List.of(Kind.MISSING_ROOT), r.problems().stream().map(VerifyReport.Problem::kind).toList());
        assertEquals(absent, r.problems().get(0).cid());
        VerifyReport none = verify(car(List.of(), present, data));
        assertEquals(List.of(Kind.NO_ROOTS), none.problems().stream().map(VerifyReport.Problem::kind).toList());
        // An identity root carries its own block.
        Cid inline = Cid.v1(Multicodec.RAW, dev.cartool.cid.Multihash.of(0, new byte[] {7}));
        assertTrue(verify(car(List.of(inline), present, data)).ok());
    }

    @Test
    void unknownHashIsReportedAsUnverifiable() throws IOException {
        Cid odd = Cid.v1(Multicodec.RAW, dev.cartool.cid.Multihash.of(0x99, new byte[] {1}));
        VerifyReport r = verify(car(List.of(odd), odd, new byte[] {5}));
        assertEquals(Kind.UNVERIFIABLE, r.problems().get(0).kind());
    }

    static byte[] car(List<Cid> roots, Cid cid, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CarWriter w = CarWriter.create(out, roots)) {
            w.write(cid, data);
        }
        return out.toByteArray();
    }

    @Test
    void fileOnDiskAndStdinGiveTheSameReport() throws IOException {
        Path p = Fixtures.testdata("lolcow.car");
        try (var in = java.nio.file.Files.newInputStream(p)) {
            VerifyReport a = CarVerifier.withDefaults().verify(in);
            VerifyReport b = verify(Fixtures.read(p));
            assertEquals(a, b);
        }
    }

    @Test
    void aCarV2IndexIsCheckedAgainstItsPayload() {
        for (String ok : List.of("sample-wrapped-v2.car", "sample-v2-indexless.car", "sample-rw-bs-v2.car", "sample-unixfs-v2.car")) {
            VerifyReport r = verify(Fixtures.read(Fixtures.goCar(ok)));
            assertTrue(r.ok(), ok + ": " + r.problems());
        }
        byte[] car = Fixtures.read(Fixtures.goCar("sample-wrapped-v2.car"));
        car[479_958 + 30 + 32 + 1] ^= 1; // the first entry's offset, second byte
        VerifyReport r = verify(car);
        assertEquals(1, r.problems().size(), r.problems().toString());
        VerifyReport.Problem p = r.problems().get(0);
        assertEquals(Kind.MALFORMED, p.kind());
        assertTrue(p.message().contains("CARv2 index entry at offset 479,988"), p.message());
        assertEquals(1049, r.blocks(), "the payload itself was read whole");
    }

    @Test
    void partialSkipsOnlyTheCompletenessCheck() {
        byte[] missing = Fixtures.read(Fixtures.goCar("simple-unixfs-missing-blocks.car"));
        assertFalse(verify(missing).ok());
        assertTrue(CarVerifier.withDefaults().partial().verify(new ByteArrayInputStream(missing)).ok());
        byte[] corrupt = Fixtures.read(Fixtures.goCar("sample-v1-tailing-corrupt-section.car"));
        assertFalse(CarVerifier.withDefaults().partial().verify(new ByteArrayInputStream(corrupt)).ok(),
                "hashes and structure are still checked");
    }
}
