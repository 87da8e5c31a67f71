package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
