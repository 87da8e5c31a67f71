package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.cartool.error.Kind;
import dev.cartool.testing.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Verifying a file by positional reads (workers read what they hash) says exactly what
 * verifying the same bytes as a stream says: the same blocks, bytes, roots and problems (kind,
 * offset, CID, message) in the same order, for valid CARs from peers and for damaged ones.
 */
class CarVerifierFileProperties {
    private static final List<String> TESTDATA = List.of("lolcow.car", "lolcow-wrapped.car", "lolcow-cidv0.car",
            "lolcow-ipfs-car.car", "lolcow-leaves-first.car", "dagcbor.car", "dagcbor-missing-leaf.car",
            "tree.car", "zeros-kubo.car", "range-raw.car", "range-v0.car", "dir-meta.car", "dag-vectors.car");
    private static final List<String> GO_CAR = List.of("sample-v1.car", "simple-unixfs.car",
            "simple-unixfs-missing-blocks.car", "badheaderlength.car", "badsectionlength.car",
            "sample-corrupt-pragma.car", "sample-v1-tailing-corrupt-section.car", "sample-v2-corrupt-data-and-index.car",
            "sample-rootless-v42.car", "sample-rw-bs-v2.car", "sample-unixfs-v2.car", "sample-v1-noidentity.car",
            "sample-v1-with-zero-len-section.car", "sample-v1-with-zero-len-section2.car", "sample-v2-indexless.car",
            "sample-wrapped-v2.car", "wikipedia-cryptographic-hash-function.car");

    private static List<byte[]> valid() {
        List<byte[]> out = new ArrayList<>();
        for (String n : List.of("lolcow.car", "lolcow-wrapped.car", "lolcow-leaves-first.car", "dagcbor.car",
                "zeros-kubo.car")) {
            out.add(Fixtures.read(Fixtures.testdata(n)));
        }
        return out;
    }

    @Example
    void peerFilesGiveTheSameReport() {
        for (String n : TESTDATA) {
            same(n, Fixtures.read(Fixtures.testdata(n)));
        }
    }

    @Example
    void goCarFilesGiveTheSameReport() {
        Path dir = Fixtures.goCar("sample-v1.car").getParent(); // skips when the fixtures are absent
        for (String n : GO_CAR) {
            same(n, Fixtures.read(dir.resolve(n)));
        }
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        Arbitrary<byte[]> base = Arbitraries.of(valid());
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> where = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> what = Arbitraries.integers().between(0, 255);
        return Combinators.combine(base, kind, where, what)
                .as((b, k, w, v) -> CarReaderRobustnessProperties.damage(b, k, w, v));
    }

    @Property(tries = 300)
    void damagedFilesGiveTheSameReport(@ForAll("damaged") byte[] car) {
        same("damaged", car);
    }

    /** A flipped byte inside a large leaf (hashed by a worker) is named by its section, after the good blocks. */
    @Example
    void aBadLargeLeafIsReportedWhereItIs() {
        byte[] car = Fixtures.read(Fixtures.testdata("zeros-v1-2025.car"));
        VerifyReport good = fileReport(car, 2);
        assertTrue(good.ok(), good.problems().toString());
        byte[] bad = car.clone();
        bad[car.length / 2] ^= 1;
        VerifyReport r = fileReport(bad, 2);
        assertFalse(r.ok());
        assertEquals(Kind.HASH_MISMATCH, r.problems().get(0).kind());
        assertTrue(r.problems().get(0).offset() < car.length / 2 && r.problems().get(0).offset() > 0);
        assertEquals(streamReport(bad).blocks(), r.blocks());
        assertEquals(describe(streamReport(bad)), describe(r));
    }

    @Example
    void progressAddsUpToTheBytesChecked() {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        AtomicLong seen = new AtomicLong();
        VerifyReport r = withFile(car, p -> new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(p, seen::addAndGet));
        assertTrue(r.ok());
        assertEquals(car.length, seen.get());
    }

    private static void same(String name, byte[] car) {
        VerifyReport stream = streamReport(car);
        for (int threads : new int[] {0, 1, 3}) {
            VerifyReport file = fileReport(car, threads);
            assertEquals(describe(stream), describe(file), name + " with " + threads + " threads");
        }
    }

    private static String describe(VerifyReport r) {
        StringBuilder b = new StringBuilder();
        b.append("ok=").append(r.ok()).append(" blocks=").append(r.blocks()).append(" bytes=").append(r.bytes())
                .append(" unknown=").append(r.unknownCodecBlocks()).append(" roots=").append(r.roots());
        for (VerifyReport.Problem p : r.problems()) {
            b.append("\n  ").append(p.kind()).append(" @").append(p.offset()).append(' ').append(p.cid())
                    .append(": ").append(p.message());
        }
        return b.toString();
    }

    private static VerifyReport streamReport(byte[] car) {
        return new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(new ByteArrayInputStream(car));
    }

    private static VerifyReport fileReport(byte[] car, int threads) {
        return withFile(car, p -> new CarVerifier(CarReaderOptions.DEFAULTS, threads).verify(p, n -> { }));
    }

    private static VerifyReport withFile(byte[] car, Fixtures.FileUse<VerifyReport> f) {
        try {
            return Fixtures.asTempFile(car, f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
