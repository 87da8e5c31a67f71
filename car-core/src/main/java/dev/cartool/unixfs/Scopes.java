package dev.cartool.unixfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.car.DagExporter;
import dev.cartool.car.DagExporter.Selector;
import dev.cartool.car.DagExporter.Step;
import dev.cartool.dagpb.PbLink;

/**
 * The parts of a UnixFS DAG the trustless gateway spec names ({@code dag-scope},
 * {@code entity-bytes}), as selectors for {@link DagExporter}.
 */
public final class Scopes {
    private Scopes() {
    }

    /**
     * {@code dag-scope=entity}: a file whole; a directory's own node, and for a HAMT its shards,
     * not its entries; a symlink or any block that is not UnixFS, alone.
     */
    public static Selector entity() {
        return ENTITY;
    }

    private static final Selector ENTITY = new Selector() {
        @Override
        public List<Step> below(Block block) throws IOException {
            UnixFsNode n = UnixFsNode.ifUnixFs(block);
            if (n == null) {
                return List.of();
            }
            if (n.kind() == UnixFsNode.Kind.FILE) {
                return DagExporter.ALL.below(block);
            }
            return n.isHamt() ? shards(n) : List.of();
        }

        @Override
        public String toString() {
            return "entity";
        }
    };

    /** A HAMT's sub-shards (not its entries), each with the same rule below it. */
    private static List<Step> shards(UnixFsNode shard) throws UnixFsException {
        Hamt hamt = Hamt.of(shard);
        List<Step> out = new ArrayList<>();
        for (PbLink link : shard.links()) {
            if (hamt.isShardLink(link)) {
                out.add(new Step(link.hash(), ENTITY));
            }
        }
        return out;
    }

    /**
     * {@code entity-bytes=from:to}: the blocks of a file that hold its bytes {@code [from, end)}
     * (with every node above them), found by the DAG's blocksizes without reading the leaves'
     * neighbours. Anything that is not a file is taken as {@link #entity()}.
     */
    public static Selector bytes(long from, long end) {
        return new Range(from, end, 0);
    }

    /** The blocks under a file node that starts at {@code base} of the file. */
    private record Range(long from, long end, long base) implements Selector {
        @Override
        public List<Step> below(Block block) throws IOException {
            UnixFsNode n = UnixFsNode.ifUnixFs(block);
            if (n == null || n.isRawLeaf()) {
                return List.of();
            }
            if (n.kind() != UnixFsNode.Kind.FILE) {
                return ENTITY.below(block);
            }
            List<PbLink> links = n.links();
            List<Step> out = new ArrayList<>();
            long pos = base + n.data().dataLength();
            for (int i = 0; i < links.size(); i++) {
                long size = n.data().blocksize(i);
                if (pos < end && pos + size > from) {
                    out.add(new Step(links.get(i).hash(), new Range(from, end, pos)));
                }
                pos += size;
            }
            return out;
        }

        /**
         * The bounds and the node's place in the file, mixed: one walk's ranges share their bounds,
         * so their keys differ with the place (the mix is one to one; setting the low bit, so that
         * a key is odd and never ALL's 0, makes two places share one in about 2^63).
         */
        @Override
        public java.util.OptionalLong visitKey() {
            long h = mix(from * 0x9E3779B97F4A7C15L ^ mix(end * 0xBF58476D1CE4E5B9L)) ^ mix(base + 0x632BE59BD9B4E01AL);
            return java.util.OptionalLong.of(h | 1);
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
