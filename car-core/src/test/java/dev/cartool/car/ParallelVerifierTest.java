package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.HashMismatchException;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ParallelVerifierTest {
    private static ParallelVerifier open(byte[] car, int threads, long budget) throws IOException {
        return ParallelVerifier.of(CarReader.open(new ByteArrayInputStream(car), CarReaderOptions.DEFAULTS.trusting()),
                threads, budget);
    }

    @Test
    void blocksComeBackInFileOrder() throws IOException {
        byte[] car = Fixtures.read(Fixtures.goCar("sample-v1.car"));
        List<Block> expected = CarReaderTest.readAll(car, CarReaderOptions.DEFAULTS);
        for (long budget : new long[] {1, 10_000, 1 << 26}) {
            try (ParallelVerifier v = open(car, 4, budget)) {
                for (Block e : expected) {
                    assertEquals(e.offset(), v.next().offset());
                }
                assertEquals(null, v.next());
            }
        }
    }

    @Test
    void aBadBlockIsThrownAfterTheGoodOnesBeforeIt() throws IOException {
        byte[] car = Fixtures.read(Fixtures.goCar("sample-v1.car"));
        List<Block> blocks = CarReaderTest.readAll(car, CarReaderOptions.DEFAULTS);
        Block victim = blocks.get(500);
        byte[] bad = car.clone();
        bad[(int) victim.dataOffset()] ^= 1;
        // And truncate the file later on: the hash mismatch comes first, then nothing else.
        byte[] badAndShort = Arrays.copyOf(bad, bad.length - 10);
        try (ParallelVerifier v = open(badAndShort, 3, 1 << 20)) {
            for (int i = 0; i < 500; i++) {
                assertEquals(blocks.get(i).cid(), v.next().cid());
            }
            HashMismatchException e = assertThrows(HashMismatchException.class, v::next);
            assertEquals(victim.offset(), e.offset());
        }
        try (ParallelVerifier v = open(Arrays.copyOf(car, car.length - 10), 3, 1 << 20)) {
            for (int i = 0; i < blocks.size() - 1; i++) {
                v.next();
            }
            assertThrows(TruncatedCarException.class, v::next);
        }
    }
}
