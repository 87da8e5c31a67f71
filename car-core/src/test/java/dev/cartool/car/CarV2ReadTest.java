package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CARv2 files as go-car writes them: the payload read from a stream and from a file. */
class CarV2ReadTest {
    @TempDir
    Path tmp;

    private static List<Block> all(byte[] car) throws IOException {
        List<Block> out = new ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                out.add(b);
            }
        }
        return out;
    }

    @Test
    void goCarsWrappedAndIndexlessV2HoldTheV1PayloadExactly() throws IOException {
        List<Block> v1 = all(Fixtures.read(Fixtures.goCar("sample-v1.car")));
        for (String name : List.of("sample-wrapped-v2.car", "sample-v2-indexless.car")) {
            Path p = Fixtures.goCar(name);
            List<Block> v2 = all(Fixtures.read(p));
            assertEquals(1049, v2.size(), name);
            for (int i = 0; i < v1.size(); i++) {
                assertEquals(v1.get(i).cid(), v2.get(i).cid());
                assertArrayEquals(v1.get(i).data(), v2.get(i).data());
                assertEquals(v1.get(i).offset() + 51, v2.get(i).offset(), "file offsets: the payload starts at 51");
            }
            try (CarFileSource src = CarFileSource.open(p)) {
                assertEquals(51 + 479_907, src.file().size(), "the data ends where the payload does");
                src.indexAll();
                for (Block b : v1) {
                    assertArrayEquals(b.data(), src.get(b.cid()).data());
                }
                assertEquals(479_907, Fixtures.read(Fixtures.goCar("sample-v1.car")).length, "the payload is sample-v1.car");
            }
        }
    }

    /** A CARv2 around {@code payload} with the given header fields, and {@code tail} after it. */
    private static byte[] v2(byte[] payload, long dataOffset, long dataSize, long indexOffset, int tail) {
        byte[] pragma = {0x0a, (byte) 0xa1, 0x67, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02};
        ByteBuffer b = ByteBuffer.allocate((int) Math.max(51 + payload.length + tail, dataOffset + payload.length + tail))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(pragma).put(new byte[16]).putLong(dataOffset).putLong(dataSize).putLong(indexOffset);
        b.position((int) Math.min(dataOffset, b.capacity() - payload.length));
        b.put(payload);
        return b.array();
    }

    @Test
    void headersThatDoNotHoldTogetherAreRefusedAsGoCarRefusesThem() throws IOException {
        byte[] payload = Fixtures.read(Fixtures.testdata("lolcow.car"));
        int n = payload.length;
        assertEquals(all(payload).size(), all(v2(payload, 51, n, 0, 0)).size());
        assertEquals(all(payload).size(), all(v2(payload, 60, n, 60 + n, 8)).size(), "padding, then an index");
        for (byte[] bad : List.of(
                v2(payload, 40, n, 0, 0),            // the payload inside the header
                v2(payload, 51, n, 51 + n - 10, 0),   // the index over the payload
                v2(payload, 51, n - 100, 0, 0))) {    // a section runs past the payload's end
            CarException e = assertThrows(CarException.class, () -> all(bad));
            assertTrue(e instanceof MalformedCarException, e.toString());
            Path f = Files.write(tmp.resolve("bad" + System.nanoTime() + ".car"), bad);
            assertThrows(CarException.class, () -> {
                try (CarFileSource s = CarFileSource.open(f)) {
                    s.indexAll();
                }
            });
        }
        // A payload that runs past the end of the file: the file reader knows at once; a stream
        // finds the data ends early.
        byte[] cut = java.util.Arrays.copyOf(v2(payload, 51, n, 0, 0), 51 + n - 7);
        assertThrows(TruncatedCarException.class, () -> all(cut));
        Path f = Files.write(tmp.resolve("cut.car"), cut);
        MalformedCarException e = assertThrows(MalformedCarException.class, () -> CarFile.open(f).close());
        assertTrue(e.getMessage().contains("runs past the end of the file"), e.getMessage());
    }

    @Test
    void goCarsCorruptDataAndIndexIsRefused() {
        // The fixture is looked up outside assertThrows: where ../shared is absent the test is
        // skipped, not failed by the assumption's exception.
        byte[] corrupt = Fixtures.read(Fixtures.goCar("sample-v2-corrupt-data-and-index.car"));
        assertThrows(CarException.class, () -> all(corrupt));
    }
}
