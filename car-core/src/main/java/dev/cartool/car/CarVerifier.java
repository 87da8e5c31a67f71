package dev.cartool.car;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.BlockException;
import dev.cartool.block.Links;
import dev.cartool.car.VerifyReport.Problem;
import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/**
 * Proves a CAR is whole: the header has roots, every block matches its CID (hashed on all
 * cores), every root is present and every block reachable from the roots is present.
 *
 * <p>One streaming pass. Memory grows by one 8-byte slot a block (see {@link Completeness}),
 * never with their size.
 */
public final class CarVerifier {
    private final CarReaderOptions options;
    private final int threads;
    private final boolean partial;

    public CarVerifier(CarReaderOptions options, int threads) {
        this(options, threads, false);
    }

    private CarVerifier(CarReaderOptions options, int threads, boolean partial) {
        this.options = options.trusting();
        this.threads = threads;
        this.partial = partial;
    }

    /**
     * A verifier that checks hashes, the header and the structure (and a CARv2's index) but not
     * that the DAG is complete: for CARs that hold part of a DAG by design, such as a gateway's
     * path CAR. Roots need not be present either.
     */
    public CarVerifier partial() {
        return new CarVerifier(options, threads, true);
    }

    /** With default limits, hashing on every processor. */
    public static CarVerifier withDefaults() {
        return new CarVerifier(CarReaderOptions.DEFAULTS, Runtime.getRuntime().availableProcessors());
    }

    /** Verifies the CAR on {@code in}; the stream is read to the end (or the first problem). */
    public VerifyReport verify(InputStream in) {
        return verify(in, b -> { });
    }

    /**
     * As {@link #verify(InputStream)}, handing each verified block (with its section offset) to
     * {@code onBlock} in file order: what an importer needs to index the CAR in the same pass.
     */
    public VerifyReport verify(InputStream in, java.util.function.Consumer<Block> onBlock) {
        List<Problem> problems = new ArrayList<>();
        List<Cid> roots = List.of();
        Completeness dag = new Completeness();
        long blocks = 0;
        long unknown = 0;
        long bytes = 0;
        CarReader reader = null;
        SortedIndexBuilder index = null;
        try {
            reader = CarReader.open(in, options);
            roots = reader.header().roots();
            CarV2Header v2 = reader.v2();
            if (v2 != null && v2.indexOffset() != 0) {
                index = new SortedIndexBuilder((v2.characteristics()[0] & CarV2Writer.FULLY_INDEXED) != 0);
            }
            try (ParallelVerifier blocksIn = ParallelVerifier.of(reader, threads,
                    ParallelVerifier.DEFAULT_IN_FLIGHT_BYTES)) {
                Block b;
                while ((b = blocksIn.next()) != null) {
                    onBlock.accept(b);
                    blocks++;
                    if (index != null) {
                        index.add(b.cid().multihash(), b.offset() - v2.dataOffset());
                    }
                    if (!Links.understands(b.cid().codec())) {
                        unknown++;
                        dag.add(b.cid(), List.of());
                    } else {
                        dag.add(b.cid(), Links.of(b));
                    }
                }
                bytes = reader.bytesRead();
                if (index != null) {
                    checkIndex(reader, index, problems); // before the reader is closed with the cursor
                }
            }
        } catch (IOException e) {
            problems.add(problemOf(e));
            if (reader != null) {
                bytes = reader.bytesRead();
            }
            noRoots(reader != null, roots, problems);
            closeQuietly(reader);
            closeQuietly(index);
            return new VerifyReport(roots, blocks, bytes, problems, unknown);
        }
        try {
            noRoots(true, roots, problems);
            if (!partial) {
                dag.check(roots, problems);
            }
        } finally {
            closeQuietly(reader);
            closeQuietly(index);
        }
        return new VerifyReport(roots, blocks, bytes, problems, unknown);
    }

    /** A CARv2's index must list exactly the payload's blocks at their offsets. */
    private static void checkIndex(CarReader reader, SortedIndexBuilder want, List<Problem> problems) {
        long at = reader.v2().indexOffset();
        try {
            String p = SortedIndex.compare(reader.indexStream(), at, want);
            if (p != null) {
                problems.add(new Problem(Kind.MALFORMED, at, null, p));
            }
        } catch (IOException e) {
            problems.add(problemOf(e));
        }
    }

    private static void noRoots(boolean headerRead, List<Cid> roots, List<Problem> problems) {
        if (headerRead && roots.isEmpty()) {
            problems.add(new Problem(Kind.NO_ROOTS, 0, null, "header at offset 0: no roots"));
        }
    }

    /** Classifies an exception from reading a CAR as a problem of the report, by its kind. */
    public static Problem problemOf(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!(e instanceof CarException)) {
            return new Problem(Kind.IO, -1, null, message, e);
        }
        CarException c = (CarException) e;
        Cid cid = c instanceof BlockException ? ((BlockException) c).cid() : null;
        return new Problem(c.kind(), c.offset(), cid, message, c);
    }

    private static void closeQuietly(java.io.Closeable r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException ignored) {
                // the report already says what matters
            }
        }
    }
}
