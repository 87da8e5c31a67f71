package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.HashFunction;
import dev.cartool.cid.Multihash;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Whatever is set aside, in whatever sizes, comes back whole under its own CID, in any order. */
class BlockSpoolProperties {

    @Property(tries = 40)
    void everyBlockComesBackWholeAndNothingElseDoes(@ForAll @IntRange(min = 0, max = 400) int count,
            @ForAll long seed) throws IOException {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("spool-test");
        List<Block> blocks = new ArrayList<>();
        Fingerprints fps = new Fingerprints();
        try (BlockSpool spool = new BlockSpool(dir, fps)) {
            try (var left = Files.list(dir)) {
                assertEquals(0, left.count(), "unlinked at once");
            }
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                // Mostly tiny, some around the 64 KiB buffer, a few past it.
                int size = switch (r.nextInt(10)) {
                    case 0 -> 60_000 + r.nextInt(10_000);
                    case 1 -> 65_536 + r.nextInt(200_000);
                    default -> r.nextInt(300);
                };
                byte[] data = new byte[size];
                r.nextBytes(data);
                long codec = r.nextBoolean() ? Multicodec.RAW : Multicodec.DAG_PB;
                Block b = Block.of(Cid.of(codec, HashFunction.sha256().code(), data), data);
                blocks.add(b);
                spool.add(b);
                bytes += size;
                if (r.nextInt(8) == 0) { // lookups between adds: some entries still pending
                    Block some = blocks.get(r.nextInt(blocks.size()));
                    assertArrayEquals(some.data(), spool.get(some.cid().multihash(), fps.of(some.cid().multihash())).data());
                }
            }
            assertEquals(bytes, spool.blockBytes());
            // Read back at random, in the order set aside, or from two places in turn (a file's
            // leaves and its parents, spooled after them): each window read on, or one elsewhere.
            List<Block> order = new ArrayList<>(blocks);
            switch (r.nextInt(3)) {
                case 0 -> Collections.shuffle(order, r);
                case 1 -> { }
                default -> {
                    order.clear();
                    int half = blocks.size() / 2;
                    for (int i = 0; i < half || half + i < blocks.size(); i++) {
                        if (i < half) {
                            order.add(blocks.get(i));
                        }
                        if (half + i < blocks.size()) {
                            order.add(blocks.get(half + i));
                        }
                    }
                }
            }
            assertEquals(blocks.size(), order.size());
            for (Block b : order) {
                Block got = spool.get(b.cid().multihash(), fps.of(b.cid().multihash()));
                assertNotNull(got, b.cid().toString());
                assertArrayEquals(b.data(), got.data(), b.cid().toString());
                assertEquals(b.cid().multihash(), got.cid().multihash(), "under a CID of its own multihash");
            }
            byte[] other = new byte[300 + r.nextInt(100)]; // no block above has this size (an empty one might be the empty block)
            r.nextBytes(other);
            Multihash absent = Cid.of(Multicodec.RAW, HashFunction.sha256().code(), other).multihash();
            assertNull(spool.get(absent, fps.of(absent)));
        } finally {
            Files.delete(dir);
        }
    }
}
