package dev.cartool.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Lookups through the remembered midpoints and windows find every key and only those. */
class BlockIndexProperties {
    @Property(tries = 40)
    void everyKeyIsFoundAtItsFirstOffset(@ForAll @IntRange(min = 0, max = 3000) int n, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 8) int maxLevels) throws Exception {
        java.util.Random r = new java.util.Random(seed);
        List<Multihash> keys = new ArrayList<>();
        Path dir = Files.createTempDirectory("bidx");
        Path p = dir.resolve("x.idx");
        try {
            try (BlockIndex.Builder b = new BlockIndex.Builder()) {
                for (int i = 0; i < n; i++) {
                    byte[] d = new byte[32];
                    r.nextBytes(d);
                    Multihash mh = Multihash.of(Multicodec.SHA2_256, d);
                    keys.add(mh);
                    b.add(mh, 1000L * i);
                    if (i % 7 == 0) {
                        b.add(mh, 1000L * i + 500_000_000L); // a repeat later in the CAR: the first offset wins
                    }
                }
                BlockIndex.write(p, b);
            }
            // Levels of midpoints beyond maxLevels are read from the file each time, as past 2^20.
            try (BlockIndex idx = BlockIndex.open(p, maxLevels)) {
                assertEquals(n, idx.size());
                // Cold on four threads at once, then through the remembered midpoints.
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
                try {
                    List<java.util.concurrent.Future<?>> cold = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        int from = t;
                        cold.add(pool.submit(() -> {
                            for (int i = from; i < n; i += 2) {
                                assertEquals(1000L * i, idx.offsetOf(keys.get(i)));
                            }
                            return null;
                        }));
                    }
                    for (java.util.concurrent.Future<?> f : cold) {
                        f.get();
                    }
                } finally {
                    pool.shutdown();
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(1000L * i, idx.offsetOf(keys.get(i)));
                }
                byte[] d = new byte[32];
                for (int i = 0; i < 50; i++) {
                    r.nextBytes(d);
                    assertEquals(-1, idx.offsetOf(Multihash.of(Multicodec.SHA2_256, d)));
                }
            }
        } finally {
            Files.deleteIfExists(p);
            Files.delete(dir);
        }
    }
}
