package dev.cartool.car;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.Links;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;

/**
 * Writes a DAG in the order {@code ipfs dag export} does: depth-first, pre-order, links in
 * order, each block once. Identity CIDs carry their data inside the CID, so, as Kubo does,
 * they are followed (an inline node may link on) but not written unless asked.
 */
public final class DagExporter {
    private DagExporter() {
    }

    /**
     * Writes every block reachable from {@code root} to {@code writer}.
     *
     * @return the number of blocks written
     * @throws MissingBlockException if a reachable block is not in {@code source}
     */
    public static long export(BlockSource source, Cid root, CarWriter writer) throws IOException {
        return export(source, root, writer, false);
    }

    /**
     * @param includeIdentity also write a section for each identity CID (go-car's
     *     {@code StoreIdentityCIDs})
     */
    public static long export(BlockSource source, Cid root, CarWriter writer, boolean includeIdentity)
            throws IOException {
        Set<Cid> seen = new HashSet<>();
        Deque<Cid> stack = new ArrayDeque<>();
        stack.push(root);
        long written = 0;
        while (!stack.isEmpty()) {
            Cid cid = stack.pop();
            if (!seen.add(cid)) {
                continue;
            }
            Block block = fetch(source, cid);
            if (includeIdentity || !cid.isIdentity()) {
                writer.write(block);
                written++;
            }
            List<Cid> links = Links.of(block);
            for (int i = links.size() - 1; i >= 0; i--) {
                if (!seen.contains(links.get(i))) {
                    stack.push(links.get(i));
                }
            }
        }
        return written;
    }

    private static Block fetch(BlockSource source, Cid cid) throws IOException {
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
