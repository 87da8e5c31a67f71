package dev.cartool.car;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.Links;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;

/**
 * Writes a DAG, or the part of it a {@link Selector} picks, in the order {@code ipfs dag export}
 * does: depth-first, pre-order, links in order, each block once. Every CAR this toolkit writes
 * from blocks it holds (a gateway response, a sub-DAG, a filtered copy) goes through here.
 *
 * <p>Identity CIDs carry their data inside the CID, so, as Kubo does and the trustless gateway
 * spec requires, they are followed (an inline node may link on) but not written unless asked.
 */
public final class DagExporter {
    private final BlockSource source;
    private boolean includeIdentity;
    private boolean duplicates;

    public DagExporter(BlockSource source) {
        this.source = source;
    }

    /**
     * Also write a section for each identity CID (go-car's {@code StoreIdentityCIDs}); off by
     * default.
     */
    public DagExporter includeIdentity(boolean include) {
        this.includeIdentity = include;
        return this;
    }

    /**
     * Write a block every time the walk meets it ({@code dups=y} of the trustless gateway spec),
     * not once; off by default. Identity CIDs are still never written.
     */
    public DagExporter duplicates(boolean every) {
        this.duplicates = every;
        return this;
    }

    /** Which blocks below a written block to export next. */
    @FunctionalInterface
    public interface Selector {
        /**
         * The children of {@code block} to visit, in order, each with the selector that applies
         * below it; empty to stop here.
         */
        List<Step> below(Block block) throws IOException;
    }

    /** One child to visit and the selector for its own children. */
    public record Step(Cid cid, Selector selector) {
    }

    /** Everything reachable: every link of every block. */
    public static final Selector ALL = new Selector() {
        @Override
        public List<Step> below(Block block) throws IOException {
            List<Cid> links = Links.of(block);
            List<Step> out = new ArrayList<>(links.size());
            for (Cid c : links) {
                out.add(new Step(c, this));
            }
            return out;
        }

        @Override
        public String toString() {
            return "all";
        }
    };

    /** The block alone. */
    public static final Selector BLOCK = new Selector() {
        @Override
        public List<Step> below(Block block) {
            return List.of();
        }

        @Override
        public String toString() {
            return "block";
        }
    };

    /**
     * Writes every block reachable from {@code root}.
     *
     * @return the number of blocks written
     * @throws MissingBlockException if a reachable block is not in {@code source}
     */
    public static long export(BlockSource source, Cid root, CarWriter writer) throws IOException {
        return new DagExporter(source).export(List.of(), root, ALL, writer);
    }

    /**
     * Writes the blocks of {@code path} in order (the blocks a client needs to follow a path to
     * {@code target}: a directory, the HAMT shards on the way), then {@code target} and what
     * {@code selector} picks below it, each block once.
     *
     * @return the number of blocks written
     * @throws MissingBlockException if a block to be written is not in {@code source}
     */
    public long export(List<Cid> path, Cid target, Selector selector, CarWriter writer) throws IOException {
        // Which visits were made and what was written, for a DAG of any size. A block seen again
        // under another selector may need more of its children than the first visit took (a byte
        // range, then the whole file): visits are keyed by both. Those under ALL (a whole DAG, a
        // file's blocks below its root) are kept by CID in a CidSet, in bounded memory, and write
        // their block unless the path or another selector's visit did; the few others (a path
        // through directories, a range's edges) and what they wrote, in hash sets. With
        // duplicates, every block is written and every visit walked.
        try (CidSet walked = new CidSet()) {
            Set<Step> otherVisits = new HashSet<>();
            Set<Cid> writtenElse = new HashSet<>();
            long count = 0;
            for (Cid c : path) {
                if ((duplicates || writtenElse.add(c)) && write(fetch(c), writer)) {
                    count++;
                }
            }
            try {
                Iterable<Visit> walk = duplicates ? DfsOrder.of(new Visit(target, selector), this::below, null)
                        : DfsOrder.skipping(new Visit(target, selector), this::below,
                                v -> v.step.selector() == ALL ? walked.add(v.step.cid()) : otherVisits.add(v.step));
                for (Visit v : walk) {
                    Cid c = v.step.cid();
                    boolean firstWrite = duplicates || (v.step.selector() == ALL ? !writtenElse.contains(c)
                            : !walked.contains(c) && writtenElse.add(c));
                    if (firstWrite && write(v.block(), writer)) {
                        count++;
                    }
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause(); // a block missing or failing below: as it was thrown
            }
            return count;
        }
    }

    /** One step of the walk; its block is fetched when the walk reaches it, and kept for its children. */
    private final class Visit {
        final Step step;
        private Block block;

        Visit(Cid cid, Selector selector) {
            this.step = new Step(cid, selector);
        }

        Step step() {
            return step;
        }

        Block block() throws IOException {
            if (block == null) {
                block = fetch(step.cid());
            }
            return block;
        }
    }

    private List<Visit> below(Visit v) throws IOException {
        List<Step> steps = v.step.selector().below(v.block());
        List<Visit> out = new java.util.ArrayList<>(steps.size());
        for (Step s : steps) {
            out.add(new Visit(s.cid(), s.selector()));
        }
        return out;
    }

    private boolean write(Block block, CarWriter writer) throws IOException {
        if (!includeIdentity && block.cid().isIdentity()) {
            return false;
        }
        writer.write(block);
        return true;
    }

    private Block fetch(Cid cid) throws IOException {
        if (cid.isIdentity()) {
            return Block.of(cid, cid.multihash().digest());
        }
        Block b = source.get(cid);
        if (b == null) {
            throw new MissingBlockException(cid);
        }
        return b;
    }
}
