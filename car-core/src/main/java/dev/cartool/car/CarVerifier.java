package dev.cartool.car;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.BlockException;
import dev.cartool.block.LinkBytes;
import dev.cartool.block.Links;
import dev.cartool.car.VerifyReport.Problem;
import dev.cartool.cid.Cid;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

/**
 * Proves a CAR is whole: the header has roots, every block matches its CID (hashed on all
 * cores), every root is present and every block reachable from the roots is present.
 *
 * <p>One streaming pass. Memory grows by one 8-byte slot a block up to a limit (see {@link Completeness}),
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
        Pass pass = new Pass();
        CarReader reader = null;
        try {
            reader = CarReader.open(in, options);
            pass.start(reader.header(), reader.v2(), reader.bytesRead());
            try (ParallelVerifier blocksIn = ParallelVerifier.of(reader, threads,
                    ParallelVerifier.DEFAULT_IN_FLIGHT_BYTES)) {
                Block b;
                while ((b = blocksIn.next()) != null) {
                    onBlock.accept(b);
                    pass.add(b.cid(), b.offset(), b);
                    pass.bytes = b.offset() + b.sectionLength();
                }
                pass.bytes = reader.bytesRead();
                if (pass.index != null) {
                    // before the reader is closed with the cursor
                    pass.checkIndex(reader.v2().indexOffset(), reader.indexStream());
                }
            }
        } catch (IOException e) {
            return pass.failed(e, reader != null, reader);
        }
        return pass.finish(reader);
    }

    /**
     * Verifies the CAR (v1 or v2, not compressed) at {@code path} by positional reads: each
     * worker reads the blocks it hashes (see {@link SectionVerifier}), so reading is spread over
     * the cores as hashing is. The report is the one {@link #verify(InputStream)} gives for the
     * same bytes. {@code progress} is told the bytes checked as they are.
     *
     * @throws IOException if the file cannot be opened (what it holds is reported, not thrown)
     */
    public VerifyReport verify(java.nio.file.Path path, java.util.function.LongConsumer progress) throws IOException {
        return verify(path, progress, ref -> { });
    }

    /**
     * As {@link #verify(java.nio.file.Path, java.util.function.LongConsumer)}, handing each
     * verified section to {@code onSection} in file order (what an importer indexes).
     */
    public VerifyReport verify(java.nio.file.Path path, java.util.function.LongConsumer progress,
            java.util.function.Consumer<SectionRef> onSection) throws IOException {
        Pass pass = new Pass();
        CarFile file = null;
        try {
            file = CarFile.open(path, options);
            pass.start(file.header(), file.v2(), file.dataStart());
            long done = file.dataStart();
            progress.accept(done);
            try (SectionVerifier sections = new SectionVerifier(file, threads, CarVerifier::needsBytes,
                    ParallelVerifier.DEFAULT_IN_FLIGHT_BYTES)) {
                SectionCursor.Section v;
                while ((v = sections.next()) != null) {
                    onSection.accept(v.ref());
                    pass.add(v.ref().cid(), v.ref().offset(), v.block());
                    progress.accept(v.ref().end() - done);
                    done = v.ref().end();
                    pass.bytes = done;
                }
                pass.bytes = sections.end();
            }
            if (pass.index != null) {
                pass.checkIndex(file.v2().indexOffset(), file.openIndex());
            }
        } catch (IOException e) {
            if (file == null && !(e instanceof CarException)) {
                throw e; // the file could not be opened: not a finding about a CAR
            }
            return pass.failed(e, file != null, file);
        }
        return pass.finish(file);
    }

    /** Whether the completeness check needs a block's bytes: those of codecs with links. */
    private static boolean needsBytes(Cid cid) {
        return Links.canLink(cid.codec());
    }

    /**
     * Memory in which a CARv2's index is sorted to be checked, taken from what the completeness
     * check's tables may hold. 20 million blocks took verify to 283 MiB with a sort of 32 MiB beside
     * the tables' 112; with 8 MiB of theirs, 243 MiB (67.3 against 65.9 s), and 10 million 252 ->
     * 228 MiB at the same speed (22.8 s, 3 alternating runs), where 16 MiB spilled the table of
     * blocks seen in part (24.2 -> 26.7 s).
     */
    static final long INDEX_SORT_BYTES = 8L << 20;

    /** What one pass learns, block by block, whichever way the blocks were read. */
    private final class Pass {
        final List<Problem> problems = new ArrayList<>();
        final Completeness dag = new Completeness();
        /** The current block's links (reused). */
        final LinkBytes links = new LinkBytes();
        List<Cid> roots = List.of();
        SortedIndexBuilder index;
        long payloadOffset;
        long blocks;
        long unknown;
        /** The end of what was read and found good: the last good section, or all of the data. */
        long bytes;

        void start(CarHeader header, CarV2Header v2, long dataStart) {
            roots = header.roots();
            bytes = dataStart;
            if (v2 != null && v2.indexOffset() != 0) {
                index = new SortedIndexBuilder((v2.characteristics()[0] & CarV2Writer.FULLY_INDEXED) != 0,
                        dag.reserve(INDEX_SORT_BYTES));
                payloadOffset = v2.dataOffset();
            }
        }

        /** A verified block; {@code block} may be null for a codec without links. */
        void add(Cid cid, long offset, Block block) throws IOException {
            blocks++;
            if (index != null) {
                index.add(cid.multihash(), offset - payloadOffset);
            }
            if (!Links.understands(cid.codec())) {
                unknown++;
                links.clear();
            } else if (block == null) {
                links.clear();
            } else {
                Links.bytesOf(block, links);
            }
            dag.add(cid, links);
        }

        /** A CARv2's index must list exactly the payload's blocks at their offsets. */
        void checkIndex(long at, InputStream stored) {
            try {
                String p = SortedIndex.compare(stored, at, index);
                if (p != null) {
                    problems.add(new Problem(Kind.MALFORMED, at, null, p));
                }
            } catch (IOException e) {
                problems.add(problemOf(e));
            }
        }

        VerifyReport failed(IOException e, boolean headerRead, java.io.Closeable in) {
            problems.add(problemOf(e));
            noRoots(headerRead, roots, problems);
            closeQuietly(in);
            closeQuietly(index);
            dag.close();
            return new VerifyReport(roots, blocks, bytes, problems, unknown);
        }

        VerifyReport finish(java.io.Closeable in) {
            try {
                noRoots(true, roots, problems);
                if (!partial) {
                    dag.check(roots, problems);
                }
            } catch (IOException e) {
                problems.add(problemOf(e)); // the open blocks' links could not be read back
            } finally {
                closeQuietly(in);
                closeQuietly(index);
                dag.close();
            }
            return new VerifyReport(roots, blocks, bytes, problems, unknown);
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
