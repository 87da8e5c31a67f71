package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.Links;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Varint;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;
import dev.cartool.testing.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Any bytes, or a valid CAR with random damage: the readers either succeed or throw the
 * project's own exception, never anything else, never hang, never allocate a claimed size.
 */
class CarReaderRobustnessProperties {
    /** Inputs here are under 400 KiB; a reader that trusted a claimed length would take 8 MiB+. */
    private static final long ALLOCATION_BUDGET = 6L << 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final List<byte[]> VALID = List.of(
            Fixtures.read(Fixtures.testdata("lolcow-wrapped.car")),
            Fixtures.read(Fixtures.testdata("dagcbor.car")),
            Fixtures.read(Fixtures.testdata("lolcow-cidv0.car")));

    static {
        // Class loading and JIT warm-up allocate megabytes once; measure only steady state.
        for (byte[] car : VALID) {
            for (int kind = 0; kind <= 4; kind++) {
                for (int i = 0; i < 20; i++) {
                    byte[] d = damage(car, kind, i * 7919, i * 13);
                    streaming(d, CarReaderOptions.DEFAULTS);
                    streaming(d, CarReaderOptions.DEFAULTS.trusting());
                }
            }
        }
    }

    @Property(tries = 1000)
    void randomBytes(@ForAll @Size(max = 600) byte[] data) {
        exercise(data);
    }

    @Provide
    Arbitrary<byte[]> damaged() {
        Arbitrary<byte[]> base = Arbitraries.of(VALID);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> where = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> what = Arbitraries.integers().between(0, 255);
        return Combinators.combine(base, kind, where, what).as((b, k, w, v) -> damage(b, k, w, v));
    }

    private static long varint(byte[] car, int at) {
        try {
            return Varint.decode(car, at, car.length);
        } catch (CidFormatException e) {
            throw new IllegalStateException("the undamaged CAR is valid", e);
        }
    }

    /** Flip a byte, set a byte, truncate, cut a piece out, or claim a huge length. */
    static byte[] damage(byte[] car, int kind, int where, int value) {
        if (kind < 4) {
            return dev.cartool.testing.Fuzz.mutate(car, kind, where, value);
        }
        // Replace the first section's length with a large claim (just under the limit).
        int headerLen = (int) varint(car, 0);
        int first = Varint.size(headerLen) + headerLen;
        byte[] claim = Varint.encode((8 << 20) - 1 - (value % 1000));
        int oldLen = Varint.size(varint(car, first));
        byte[] b = new byte[car.length - oldLen + claim.length];
        System.arraycopy(car, 0, b, 0, first);
        System.arraycopy(claim, 0, b, first, claim.length);
        System.arraycopy(car, first + oldLen, b, first + claim.length, car.length - first - oldLen);
        return b;
    }

    @Property(tries = 1000)
    void damagedCars(@ForAll("damaged") byte[] data) {
        exercise(data);
    }

    private static void exercise(byte[] data) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long deadline = System.nanoTime() + 10_000_000_000L;
        streaming(data, CarReaderOptions.DEFAULTS);
        streaming(data, CarReaderOptions.DEFAULTS.trusting());
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < ALLOCATION_BUDGET + 4L * data.length,
                "allocated " + allocated + " bytes reading " + data.length + " bytes: "
                        + java.util.HexFormat.of().formatHex(data));
        randomAccess(data);
        verifier(data);
        assertTrue(System.nanoTime() < deadline, "took over 10 s");
    }

    private static void streaming(byte[] data, CarReaderOptions options) {
        try (CarReader r = CarReader.open(new ByteArrayInputStream(data), options)) {
            Block b;
            int n = 0;
            while ((b = r.next()) != null) {
                if (options.verifyHashes()) {
                    Links.of(b);
                }
                if (++n > data.length) {
                    fail("more blocks than bytes: a loop");
                }
            }
        } catch (CarException expected) {
            // the project's own exception: fine
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    /** What a check does with the bytes written to a temp file. */
    @FunctionalInterface
    private interface FileCheck {
        void run(Path file) throws IOException;
    }

    /** Runs {@code check} on the bytes as a file: a CarException is an answer, anything else a failure. */
    private static void asFile(byte[] data, FileCheck check) {
        try {
            Fixtures.asTempFile(data, tmp -> {
                check.run(tmp);
                return null;
            });
        } catch (CarException expected) {
            // the project's own exception: fine
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    private static void randomAccess(byte[] data) {
        asFile(data, tmp -> {
            try (CarFile f = CarFile.open(tmp)) {
                CarFile.Scan scan = f.scan();
                SectionRef ref;
                while ((ref = scan.next()) != null) {
                    f.read(ref);
                }
            }
        });
    }

    private static void verifier(byte[] data) {
        VerifyReport r = new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(new ByteArrayInputStream(data));
        noIoProblem(r, "stream");
        // The same bytes as a file, read by position (heads here, blocks by the workers).
        asFile(data, tmp -> noIoProblem(new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(tmp, n -> { }), "file"));
        asFile(data, tmp -> {
            try (SectionCursor c = SectionCursor.open(tmp, CarReaderOptions.DEFAULTS, 2, false, cid -> true)) {
                int n = 0;
                while (c.next() != null) {
                    if (++n > data.length) {
                        fail("more sections than bytes: a loop");
                    }
                }
            }
        });
    }

    private static void noIoProblem(VerifyReport r, String how) {
        for (VerifyReport.Problem p : r.problems()) {
            if (p.kind() == Kind.IO) {
                fail("verifier (" + how + ") met a non-CAR exception: " + p.message());
            }
        }
    }
}
