package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** Whatever the pieces and gaps, the file holds each piece at its place and zeros between. */
class AlignedWriterProperties {
    /** Pieces as (gap before, length), up to a few blocks long in all. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> pieces() {
        Arbitrary<Integer> gap = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 9000),
                Arbitraries.integers().between(0, 3 * AlignedWriter.BLOCK));
        Arbitrary<Integer> len = Arbitraries.oneOf(Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 2 * AlignedWriter.BLOCK + 7));
        return net.jqwik.api.Combinators.combine(gap, len).as(Tuple::of).list().ofMaxSize(12);
    }

    @Property(tries = 60)
    void piecesLandWhereTheyWereSentAndGapsAreZero(@ForAll("pieces") List<Tuple.Tuple2<Integer, Integer>> pieces)
            throws Exception {
        Path dir = Files.createTempDirectory("aligned");
        Path target = dir.resolve("out");
        try (AtomicFile f = AtomicFile.create(target, false)) {
            AlignedWriter w = new AlignedWriter(f);
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            java.util.SplittableRandom r = new java.util.SplittableRandom(pieces.size());
            long pos = 0;
            for (Tuple.Tuple2<Integer, Integer> p : pieces) {
                expected.write(new byte[p.get1()]);
                pos += p.get1();
                byte[] data = new byte[p.get2()];
                r.nextBytes(data);
                expected.write(data);
                // a buffer whose position is not 0, to catch absolute/relative index mix-ups
                ByteBuffer src = ByteBuffer.allocate(data.length + 3).position(3);
                src.put(data).position(3);
                w.put(src, pos);
                pos += data.length;
            }
            w.finish();
            f.commit();
            assertArrayEquals(expected.toByteArray(), Files.readAllBytes(target));
        } finally {
            Files.deleteIfExists(target);
            Files.delete(dir);
        }
    }

    /**
     * Past the page cache: pieces of every awkward size around the 4 MiB blocks and the 4 KiB
     * alignment, with gaps, so that blocks are handed to the writing thread while the next fills
     * and the last one ends in a tail that cannot go past the cache.
     */
    @Test
    void pastTheCacheTheFileHoldsWhatWasPut() throws Exception {
        int block = AlignedWriter.DIRECT_BLOCK;
        int[][] cases = {
            {1}, {4095}, {4096}, {block - 1}, {block}, {block + 1},
            {block - 7, 7, 4096, block, 100, 2 * block + 4097},
            {0, 1, 0, 65536, 3 * block - 65537, 5},
        };
        for (int[] lengths : cases) {
            for (int gap : new int[] {0, 4093, block + 17}) {
                pastTheCache(0, (f, w, target) -> {
                    byte[] expected = writeAll(w, lengths, gap, lengths.length * 31L + gap);
                    w.finish();
                    assertTrue(w.bypassing(), "a write past the cache was refused: " + java.util.Arrays.toString(lengths));
                    f.commit();
                    assertArrayEquals(expected, Files.readAllBytes(target), java.util.Arrays.toString(lengths) + " gap " + gap);
                });
            }
        }
    }

    /** What a test does with a writer past the cache, the file it writes and that file's name. */
    @FunctionalInterface
    private interface PastTheCache {
        void run(AtomicFile f, AlignedWriter w, Path target) throws Exception;
    }

    /**
     * Runs {@code test} with a writer past the cache ({@code placeAhead} bytes of window) onto a
     * new file in a directory of its own, removed after; skipped where the file system takes no
     * O_DIRECT.
     */
    private static void pastTheCache(long placeAhead, PastTheCache test) throws Exception {
        Path dir = Files.createTempDirectory("aligned");
        Path target = dir.resolve("out");
        try (AtomicFile f = AtomicFile.create(target, false)) {
            AlignedWriter w = AlignedWriter.bypassingCache(f, placeAhead);
            org.junit.jupiter.api.Assumptions.assumeTrue(w != null, "this file system takes no O_DIRECT");
            test.run(f, w, target);
        } finally {
            Files.deleteIfExists(target);
            Files.delete(dir);
        }
    }

    /** Blocks written past the cache count toward the early flushes, as writes through it do. */
    @Test
    void writesPastTheCacheAreFlushedOnTheWay() throws Exception {
        int block = AlignedWriter.DIRECT_BLOCK;
        pastTheCache(0, (f, w, target) -> {
            long total = EarlyFlush.EVERY + 2L * block;
            ByteBuffer piece = ByteBuffer.allocate(block);
            for (long at = 0; at < total; at += block) {
                piece.clear().putLong(0, at);
                w.put(piece, at);
            }
            w.finish();
            assertTrue(w.bypassing());
            assertTrue(f.earlyFlushesStarted() >= 1, "no early flush after " + total + " bytes past the cache");
            f.commit();
            assertEquals(total, Files.size(target));
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(target)) {
                ByteBuffer last = ByteBuffer.allocate(8);
                ch.read(last, total - block);
                assertEquals(total - block, last.getLong(0));
            }
        });
    }

    /**
     * Bytes placed ahead (read into the buffer the writer hands out, then counted as filled) and
     * bytes written land alike: pieces of every size, placed up to the whole window ahead, some
     * refused (across two blocks, too far ahead) and written instead, in order.
     */
    @Test
    void placedAheadOrWrittenTheFileHoldsEveryPiece() throws Exception {
        int block = AlignedWriter.DIRECT_BLOCK;
        long window = 3L * block;
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (int round = 0; round < 6; round++) {
            int thisRound = round;
            pastTheCache(window, (f, w, target) -> {
                PlacingChannel ch = w.channel();
                // Pieces as a reader fetching ahead makes them: started (placed or not) up to the
                // window ahead of what was consumed, consumed in order.
                java.util.ArrayDeque<Object[]> started = new java.util.ArrayDeque<>();
                java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
                long startedEnd = 0;
                int placedCount = 0;
                int pieces = 40 + r.nextInt(40);
                for (int i = 0; i < pieces || !started.isEmpty(); ) {
                    if (i < pieces && startedEnd - ch.position() < window) {
                        int len = r.nextInt(4) == 0 ? 1 + r.nextInt(5000) : (r.nextBoolean() ? 262144 : 1 + r.nextInt(block));
                        byte[] data = new byte[len];
                        r.nextBytes(data);
                        expected.write(data, 0, len);
                        ByteBuffer slot = ch.placeAt(startedEnd, len);
                        if (slot != null) {
                            assertEquals(len, slot.remaining());
                            slot.put(data); // the read into its place
                            placedCount++;
                        }
                        started.add(new Object[] {data, slot != null});
                        startedEnd += len;
                        i++;
                    } else {
                        Object[] p = started.poll();
                        byte[] data = (byte[]) p[0];
                        if ((Boolean) p[1]) {
                            ch.filled(data.length);
                        } else {
                            ch.write(ByteBuffer.wrap(data));
                        }
                    }
                }
                assertTrue(placedCount > 0, "nothing was placed");
                w.finish();
                assertTrue(w.bypassing());
                f.commit();
                assertArrayEquals(expected.toByteArray(), Files.readAllBytes(target), "round " + thisRound);
            });
        }
    }

    /**
     * A file filled in order in small pieces (an extract of tiny leaves), each block written out
     * before the next fills: two buffers made, one filling and one written, however large the
     * window it was made for (the ring of six made all six, 24 MiB).
     */
    @Test
    void filledInOrderItMakesTwoBuffers() throws Exception {
        int block = AlignedWriter.DIRECT_BLOCK;
        pastTheCache(4L * block, (f, w, target) -> {
            java.nio.channels.WritableByteChannel ch = w.channel();
            byte[] expected = new byte[8 * block + 1000];
            new java.util.SplittableRandom(3).nextBytes(expected);
            for (int at = 0; at < expected.length; at += 4096) {
                ch.write(ByteBuffer.wrap(expected, at, Math.min(4096, expected.length - at)));
                if ((at + 4096) % block == 0) {
                    long until = System.nanoTime() + 30_000_000_000L;
                    while (!w.writesDone() && System.nanoTime() < until) {
                        Thread.sleep(1);
                    }
                }
            }
            w.finish();
            assertTrue(w.bypassing());
            assertEquals(2, w.buffersMade());
            f.commit();
            assertArrayEquals(expected, Files.readAllBytes(target));
        });
    }

    /** A file system that refuses a write past the cache gets it, and the rest, through the cache. */
    @Test
    void aRefusedWriteGoesThroughTheCache() throws Exception {
        Path dir = Files.createTempDirectory("aligned");
        Path target = dir.resolve("out");
        try (AtomicFile f = AtomicFile.create(target, false)) {
            java.nio.channels.FileChannel refusing = java.nio.channels.FileChannel.open(dir.resolve("other"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            refusing.close(); // every write throws ClosedChannelException, an IOException
            AlignedWriter w = new AlignedWriter(f, refusing, 4096, 2);
            int block = AlignedWriter.DIRECT_BLOCK;
            byte[] expected = writeAll(w, new int[] {block + 5, 2 * block, 4097}, 11, 7);
            w.finish();
            assertFalse(w.bypassing());
            f.commit();
            assertArrayEquals(expected, Files.readAllBytes(target));
        } finally {
            Files.deleteIfExists(target);
            Files.deleteIfExists(dir.resolve("other"));
            Files.delete(dir);
        }
    }

    /** Puts pieces of the given lengths, each after a gap, through a channel when there is no gap. */
    private static byte[] writeAll(AlignedWriter w, int[] lengths, int gap, long seed) throws java.io.IOException {
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        java.nio.channels.WritableByteChannel ch = w.channel();
        long pos = 0;
        for (int len : lengths) {
            byte[] data = new byte[len];
            r.nextBytes(data);
            if (gap == 0) {
                ByteBuffer src = ByteBuffer.wrap(data);
                ch.write(src);
                assertEquals(0, src.remaining());
            } else {
                expected.write(new byte[gap], 0, gap);
                pos += gap;
                w.put(ByteBuffer.wrap(data), pos);
            }
            expected.write(data, 0, len);
            pos += len;
        }
        return expected.toByteArray();
    }

    @Test
    void aPieceBeforeTheEndOfTheLastIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("aligned");
        try (AtomicFile f = AtomicFile.create(dir.resolve("out"), false)) {
            AlignedWriter w = new AlignedWriter(f);
            w.put(ByteBuffer.allocate(10), 100);
            assertThrows(IllegalArgumentException.class, () -> w.put(ByteBuffer.allocate(1), 105));
        } finally {
            Files.delete(dir);
        }
    }
}
