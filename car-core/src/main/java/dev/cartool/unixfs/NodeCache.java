package dev.cartool.unixfs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;

/**
 * Decoded DAG-PB nodes (directories, HAMT shards, the interior nodes of files) by CID, the most
 * recently used kept within a budget of block bytes. A node is fixed by its CID, so a held node
 * is as good as reading and checking its block again: a server resolving the same directories
 * for every request decodes each once. Only nodes read from checked blocks may be put. Safe for
 * any number of threads.
 *
 * <p>A source whose blocks change (a store after a removal) tells so by its
 * {@link dev.cartool.block.BlockSource#generation() generation}; {@link #at} empties the cache
 * when it moves, so a removed directory is not walked through again.
 */
public final class NodeCache {
    /** Decoded links and strings cost about this many times the block's bytes, plus a fixed part. */
    private static final int WEIGHT_FACTOR = 3;
    private static final int WEIGHT_FIXED = 256;

    private final long budget;
    private final LinkedHashMap<Cid, UnixFsNode> nodes = new LinkedHashMap<>(256, 0.75f, true);
    private long held;
    private long generation;

    /** @param budgetBytes what the held nodes may cost, about three times their blocks' bytes */
    public NodeCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /** Empties the cache if the source's blocks changed since the last call. */
    public synchronized void at(long sourceGeneration) {
        if (sourceGeneration != generation) {
            nodes.clear();
            held = 0;
            generation = sourceGeneration;
        }
    }

    public synchronized UnixFsNode get(Cid cid) {
        return nodes.get(cid);
    }

    /** Keeps a DAG-PB node that is not too large a part of the budget; raw blocks are data, not kept. */
    public synchronized void put(UnixFsNode node) {
        if (node.cid().codec() != Multicodec.DAG_PB) {
            return;
        }
        long w = weight(node);
        if (w > budget / 16 || nodes.containsKey(node.cid())) {
            return;
        }
        nodes.put(node.cid(), node);
        held += w;
        Iterator<Map.Entry<Cid, UnixFsNode>> it = nodes.entrySet().iterator();
        while (held > budget && it.hasNext()) {
            held -= weight(it.next().getValue());
            it.remove();
        }
    }

    public synchronized int size() {
        return nodes.size();
    }

    /** What the held nodes are reckoned to cost. */
    public synchronized long heldBytes() {
        return held;
    }

    private static long weight(UnixFsNode n) {
        return (long) n.block().length() * WEIGHT_FACTOR + WEIGHT_FIXED;
    }
}
