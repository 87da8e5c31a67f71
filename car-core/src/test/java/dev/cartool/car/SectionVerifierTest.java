package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.cartool.block.HashMismatchException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sections of a file come back in file order, and a bad one is thrown in its turn, however
 * the workers finish: the cursor waits for a section further on (half its window ahead) before
 * the next, and what that later one holds, good or bad, waits its turn.
 */
class SectionVerifierTest {
    private static final int BLOCKS = 240;
    /** Larger than what is hashed on the calling thread, so every block goes to a worker. */
    private static final int BLOCK = 20_000;

    @TempDir
    Path dir;

    @Test
    void everyBadBlockIsThrownAfterAllTheGoodOnesBeforeIt() throws IOException {
        List<Long> offsets = new ArrayList<>();
        byte[] car = car(offsets);
        // Bad blocks at every place of a window (2 threads: 32 sections ahead), several rounds.
        for (int victim = 3; victim < BLOCKS; victim += 7) {
            byte[] bad = car.clone();
            bad[(int) (offsets.get(victim) + 100)] ^= 1;
            Path p = Files.write(dir.resolve("bad-" + victim + ".car"), bad);
            for (int threads : new int[] {2, 3}) {
                try (CarFile f = CarFile.open(p, CarReaderOptions.DEFAULTS.trusting());
                        SectionVerifier v = new SectionVerifier(f, threads, c -> false, 1 << 20)) {
                    for (int i = 0; i < victim; i++) {
                        assertEquals(offsets.get(i), v.next().ref().offset(), "section " + i + " before the bad one at " + victim);
                    }
                    HashMismatchException e = assertThrows(HashMismatchException.class, v::next);
                    assertEquals((long) offsets.get(victim), e.offset());
                }
            }
        }
    }

    @Test
    void aGoodFileComesBackWholeInOrder() throws IOException {
        List<Long> offsets = new ArrayList<>();
        Path p = Files.write(dir.resolve("good.car"), car(offsets));
        try (CarFile f = CarFile.open(p, CarReaderOptions.DEFAULTS.trusting());
                SectionVerifier v = new SectionVerifier(f, 2, c -> false, 1 << 20)) {
            for (long off : offsets) {
                assertEquals(off, v.next().ref().offset());
            }
            assertNull(v.next());
        }
    }

    /** A CARv1 of {@link #BLOCKS} raw blocks of random bytes; their section offsets go to {@code offsets}. */
    private static byte[] car(List<Long> offsets) throws IOException {
        Random r = new Random(14);
        List<byte[]> data = new ArrayList<>();
        List<Cid> cids = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            byte[] d = new byte[BLOCK];
            r.nextBytes(d);
            data.add(d);
            cids.add(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, d));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CarWriter w = CarWriter.create(out, List.of(cids.get(0)));
        for (int i = 0; i < BLOCKS; i++) {
            offsets.add(w.bytesWritten());
            w.write(cids.get(i), data.get(i));
        }
        w.flush();
        return out.toByteArray();
    }
}
