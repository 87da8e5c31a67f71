package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.block.Block;
import dev.cartool.block.HashMismatchException;
import dev.cartool.block.UnverifiableBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CarReaderTest {
    static List<Block> readAll(byte[] car, CarReaderOptions options) throws IOException {
        List<Block> out = new ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car), options)) {
            Block b;
            while ((b = r.next()) != null) {
                out.add(b);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lolcow.car", "lolcow-wrapped.car", "lolcow-cidv0.car", "lolcow-ipfs-car.car",
        "dagcbor.car", "dagcbor-missing-leaf.car"})
    void readsWhatTheJsStackWrote(String name) throws IOException {
        JsonNode expected = Fixtures.json("fixtures.json").get("files").get(name);
        byte[] car = Fixtures.read(Fixtures.testdata(name));
        List<Block> blocks;
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            assertEquals(1, r.header().version());
            assertEquals(List.of(Cid.parse(expected.get("root").asText())), r.header().roots());
            blocks = new ArrayList<>();
            Block b;
            while ((b = r.next()) != null) {
                blocks.add(b);
            }
            assertEquals(car.length, r.bytesRead());
        }
        if (expected.has("blocks")) {
            List<String> cids = new ArrayList<>();
            blocks.forEach(b -> cids.add(b.cid().toString()));
            List<String> want = new ArrayList<>();
            expected.get("blocks").forEach(n -> want.add(n.asText()));
            assertEquals(want, cids);
        }
        // Offsets chain: each section starts where the previous ended, and the bytes are there.
        long pos = blocks.get(0).offset();
        for (Block b : blocks) {
            assertEquals(pos, b.offset());
            byte[] inFile = Arrays.copyOfRange(car, (int) b.dataOffset(), (int) (b.dataOffset() + b.length()));
            assertArrayEquals(inFile, b.data());
            pos += b.sectionLength();
        }
        assertEquals(car.length, pos);
    }

    @Test
    void headerReencodesToTheBytesPeersWrote() throws IOException {
        for (Path p : List.of(Fixtures.testdata("lolcow.car"), Fixtures.testdata("dagcbor.car"),
                Fixtures.goCar("sample-v1.car"))) {
            byte[] car = Fixtures.read(p);
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
                byte[] enc = r.header().encode();
                int varint = dev.cartool.cid.Varint.size(enc.length);
                assertEquals(varint + enc.length, r.bytesRead(), p.toString());
                assertArrayEquals(Arrays.copyOfRange(car, varint, varint + enc.length), enc, p.toString());
            }
        }
    }

    @Test
    void goCarSampleV1() throws IOException {
        byte[] car = Fixtures.read(Fixtures.goCar("sample-v1.car"));
        List<Block> blocks = readAll(car, CarReaderOptions.DEFAULTS);
        assertEquals(1049, blocks.size());
        assertEquals(1043, blocks.stream().filter(b -> b.cid().codec() == Multicodec.DAG_CBOR
                && b.cid().multihash().code() == Multicodec.BLAKE2B_256).count());
        assertEquals(6, blocks.stream().filter(b -> b.cid().isIdentity()).count());
    }

    @Test
    void aFlippedByteIsAHashMismatchAtItsSection() throws IOException {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        List<Block> blocks = readAll(car, CarReaderOptions.DEFAULTS);
        Block victim = blocks.get(1);
        byte[] bad = car.clone();
        bad[(int) victim.dataOffset() + 100] ^= 0x01;
        HashMismatchException e = assertThrows(HashMismatchException.class,
                () -> readAll(bad, CarReaderOptions.DEFAULTS));
        assertEquals(victim.offset(), e.offset());
        assertEquals(victim.cid(), e.cid());
        assertTrue(e.getMessage().contains(victim.cid().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("hash mismatch, content hashes to " + e.actual()), e.getMessage());
        // Trusting the input reads it through.
        assertEquals(blocks.size(), readAll(bad, CarReaderOptions.DEFAULTS.trusting()).size());
    }

    @Test
    void truncationIsKeptApartFromCorruption() throws IOException {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        List<Block> blocks = readAll(car, CarReaderOptions.DEFAULTS);
        Block last = blocks.get(blocks.size() - 1);
        for (int cut : new int[] {1, 500, (int) last.sectionLength() - 1}) {
            byte[] shorter = Arrays.copyOf(car, car.length - cut);
            TruncatedCarException e = assertThrows(TruncatedCarException.class,
                    () -> readAll(shorter, CarReaderOptions.DEFAULTS));
            assertEquals(last.offset(), e.offset());
        }
        assertThrows(TruncatedCarException.class, () -> readAll(new byte[0], CarReaderOptions.DEFAULTS));
        assertThrows(TruncatedCarException.class, () -> readAll(Arrays.copyOf(car, 10), CarReaderOptions.DEFAULTS));
    }

    @Test
    void lengthsOverTheLimitsAreRefusedBeforeReading() throws IOException {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        MalformedCarException e = assertThrows(MalformedCarException.class,
                () -> readAll(car, CarReaderOptions.DEFAULTS.withMaxSectionLength(1000)));
        assertTrue(e.getMessage().contains("exceeds the 1,000 limit"), e.getMessage());
        assertThrows(MalformedCarException.class,
                () -> readAll(car, CarReaderOptions.DEFAULTS.withMaxHeaderLength(10)));
        byte[] badHeader = Fixtures.read(Fixtures.goCar("badheaderlength.car"));
        MalformedCarException h = assertThrows(MalformedCarException.class,
                () -> readAll(badHeader, CarReaderOptions.DEFAULTS));
        assertEquals(0, h.offset());
        byte[] badSection = Fixtures.read(Fixtures.goCar("badsectionlength.car"));
        MalformedCarException s = assertThrows(MalformedCarException.class,
                () -> readAll(badSection, CarReaderOptions.DEFAULTS));
        assertEquals(18, s.offset());
    }

    @Test
    void versionsOtherThanOneAndTwoAreUnsupported() throws IOException {
        byte[] rootless42 = Fixtures.read(Fixtures.goCar("sample-rootless-v42.car"));
        UnsupportedCarException v42 = assertThrows(UnsupportedCarException.class,
                () -> readAll(rootless42, CarReaderOptions.DEFAULTS));
        assertEquals(42, v42.version());
        byte[] wrappedV2 = Fixtures.read(Fixtures.goCar("sample-wrapped-v2.car"));
        assertEquals(1049, readAll(wrappedV2, CarReaderOptions.DEFAULTS).size(), "CARv2: its payload is read");
        byte[] corruptPragma = Fixtures.read(Fixtures.goCar("sample-corrupt-pragma.car"));
        assertInstanceOf(TruncatedCarException.class, assertThrows(CarException.class,
                () -> readAll(corruptPragma, CarReaderOptions.DEFAULTS)));
    }

    @Test
    void zeroLengthSectionIsAnErrorUnlessAskedToEndThere() throws IOException {
        byte[] car = Fixtures.read(Fixtures.goCar("sample-v1-with-zero-len-section.car"));
        MalformedCarException e = assertThrows(MalformedCarException.class,
                () -> readAll(car, CarReaderOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("length is zero"));
        assertEquals(1049, readAll(car, CarReaderOptions.DEFAULTS.withZeroLengthSectionAsEof(true)).size());
        byte[] car2 = Fixtures.read(Fixtures.goCar("sample-v1-with-zero-len-section2.car"));
        assertThrows(MalformedCarException.class, () -> readAll(car2, CarReaderOptions.DEFAULTS));
        assertNotNull(readAll(car2, CarReaderOptions.DEFAULTS.withZeroLengthSectionAsEof(true)));
    }

    @Test
    void tailingCorruptSectionIsTruncation() {
        byte[] car = Fixtures.read(Fixtures.goCar("sample-v1-tailing-corrupt-section.car"));
        TruncatedCarException e = assertThrows(TruncatedCarException.class, () -> readAll(car, CarReaderOptions.DEFAULTS));
        assertTrue(e.offset() > 0);
    }

    @Test
    void unknownHashFunctionMakesABlockUnverifiable() throws IOException {
        Cid odd = Cid.v1(Multicodec.RAW, dev.cartool.cid.Multihash.of(0x99, new byte[] {1, 2, 3}));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (CarWriter w = CarWriter.create(out, List.of(odd))) {
            w.write(odd, new byte[] {9});
        }
        UnverifiableBlockException e = assertThrows(UnverifiableBlockException.class,
                () -> readAll(out.toByteArray(), CarReaderOptions.DEFAULTS));
        assertEquals(odd, e.cid());
        assertTrue(e.getMessage().contains("unsupported hash function 0x99"), e.getMessage());
    }

    @Test
    void headerShapesThatAreNotACarHeader() {
        // {"roots": [], "version": "1"}, a list, and a header with an extra key.
        assertThrows(MalformedCarException.class, () -> CarHeader.decode(
                hex("a265726f6f7473806776657273696f6e6131"), 1));
        assertThrows(MalformedCarException.class, () -> CarHeader.decode(hex("80"), 1));
        assertThrows(MalformedCarException.class, () -> CarHeader.decode(
                hex("a365726f6f7473806776657273696f6e0163666f6f01"), 1));
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
