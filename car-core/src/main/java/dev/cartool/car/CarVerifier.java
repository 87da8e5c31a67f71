package dev.cartool.car;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.block.BlockException;
import dev.cartool.block.Links;
import dev.cartool.car.VerifyReport.Problem;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/**
 * Proves a CAR is whole: the header has roots, every block matches its CID (hashed on all
 * cores), every root is present and every block reachable from the roots is present.
 *
 * <p>One streaming pass. Memory grows with the number of blocks (a multihash and the links of
 * each linking block), never with their size.
 */
public final class CarVerifier {
    /** Missing blocks past this many are counted, not listed. */
    private static final int MAX_LISTED = 100;

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
        Set<Multihash> present = new HashSet<>();
        Map<Multihash, List<Cid>> links = new HashMap<>();
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
                    Multihash mh = b.cid().multihash();
                    present.add(mh);
                    if (!Links.understands(b.cid().codec())) {
                        unknown++;
                    } else {
                        List<Cid> out = Links.of(b);
                        if (!out.isEmpty()) {
                            links.merge(mh, out, (a, c) -> a);
                        }
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
                checkComplete(roots, present, links, problems);
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

    private static void checkComplete(List<Cid> roots, Set<Multihash> present,
            Map<Multihash, List<Cid>> links, List<Problem> problems) {
        Set<Multihash> visited = new HashSet<>();
        Deque<Cid> queue = new ArrayDeque<>();
        for (Cid root : roots) {
            if (root.isIdentity() || present.contains(root.multihash())) {
                queue.add(root);
            } else {
                problems.add(new Problem(Kind.MISSING_ROOT, -1, root, "root " + root + " is not in the CAR"));
            }
        }
        long missing = 0;
        while (!queue.isEmpty()) {
            Cid cid = queue.poll();
            if (!visited.add(cid.multihash())) {
                continue;
            }
            for (Cid child : links.getOrDefault(cid.multihash(), List.of())) {
                if (child.isIdentity() || visited.contains(child.multihash())) {
                    continue;
                }
                if (present.contains(child.multihash())) {
                    queue.add(child);
                } else if (visited.add(child.multihash())) {
                    missing++;
                    if (missing <= MAX_LISTED) {
                        problems.add(new Problem(Kind.MISSING_BLOCK, -1, child, "block " + child
                                + " (linked from " + cid + ") is not in the CAR"));
                    }
                }
            }
        }
        if (missing > MAX_LISTED) {
            problems.add(new Problem(Kind.MISSING_BLOCK, -1, null, (missing - MAX_LISTED)
                    + " more missing block(s) not listed"));
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
