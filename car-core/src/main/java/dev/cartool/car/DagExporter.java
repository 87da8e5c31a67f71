package dev.cartool.car;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
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

        /**
         * 64 bits that tell this selector's visits of a block from another selector's, so that a
         * walk of any size keeps them in bounded memory: a visit is skipped when one with the same
         * CID and key was made. Two selectors of one walk that select differently must not share
         * a key; {@link #ALL}'s is 0. Empty (the default): visits are told apart by {@code equals},
         * in a set held in memory, for selectors that make few visits.
         */
        default OptionalLong visitKey() {
            return OptionalLong.empty();
        }
    }

    private static final OptionalLong ALL_KEY = OptionalLong.of(0);

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
        public OptionalLong visitKey() {
            return ALL_KEY;
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
        // range, then the whole file): visits are keyed by both, in a CidSet (bounded memory)
        // under the selector's visit key, or for selectors without one (few visits) in a hash
        // set. A visit under ALL writes its block unless the path or another selector's visit
        // did (those are kept in `written`); another selector's first visit writes its block
        // unless a visit under ALL did. With duplicates, every block is written and every visit
        // walked. The two sets share one table's worth of memory.
        TableMemory.Budget memory = TableMemory.Budget.ofTable();
        try (CidSet visits = new CidSet(memory); CidSet written = new CidSet(memory)) {
            Set<Step> otherVisits = new HashSet<>();
            long count = 0;
            for (Cid c : path) {
                if ((duplicates || written.add(c)) && write(fetch(c), writer)) {
                    count++;
                }
            }
            try {
                Iterable<Visit> walk = duplicates ? DfsOrder.of(new Visit(target, selector), this::below, null)
                        : DfsOrder.skipping(new Visit(target, selector), this::below, v -> {
                            OptionalLong key = v.step.selector().visitKey();
                            return key.isPresent() ? visits.add(v.step.cid(), key.getAsLong()) : otherVisits.add(v.step);
                        });
                for (Visit v : walk) {
                    Cid c = v.step.cid();
                    boolean firstWrite = duplicates || (v.step.selector() == ALL
                            ? written.size() == 0 || !written.contains(c)
                            : !visits.contains(c, 0) && written.add(c));
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
