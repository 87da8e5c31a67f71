package dev.cartool.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import org.junit.jupiter.api.Test;

class NodeCacheTest {
    /** A directory of {@code n} entries (its block grows with n), distinct by {@code tag}. */
    private static UnixFsNode dir(int n, String tag) throws Exception {
        List<PbLink> links = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            links.add(new PbLink(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, (tag + i).getBytes()), tag + "-" + i, 1L));
        }
        byte[] bytes = DagPb.encode(new PbNode(links, UnixFsData.builder(UnixFsData.Type.DIRECTORY).build().encode()));
        return UnixFsNode.of(Block.of(Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, bytes), bytes));
    }

    @Test
    void keepsWithinItsBudgetDroppingTheLeastRecentlyUsed() throws Exception {
        UnixFsNode a = dir(10, "a");
        long w = (long) a.block().length() * 3 + 256;
        NodeCache cache = new NodeCache(w * 20); // room for about 20 such nodes
        cache.put(a);
        assertSame(a, cache.get(a.cid()));
        List<UnixFsNode> more = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            UnixFsNode d = dir(10, "d" + (char) ('a' + i % 26) + i / 26);
            more.add(d);
            cache.put(d);
            assertNotNull(cache.get(a.cid()), "used each round, so kept"); // touches a
        }
        assertTrue(cache.heldBytes() <= w * 20 + w, "held " + cache.heldBytes());
        assertNull(cache.get(more.get(0).cid()), "the oldest unused node was dropped");
        assertNotNull(cache.get(more.get(39).cid()));
    }

    @Test
    void keepsNeitherRawBlocksNorNodesTooLargeForItsBudget() throws Exception {
        NodeCache cache = new NodeCache(64 << 10);
        byte[] data = new byte[100];
        Cid raw = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, data);
        cache.put(UnixFsNode.of(Block.of(raw, data)));
        assertNull(cache.get(raw), "raw leaves are file data, not kept");
        UnixFsNode big = dir(300, "big"); // over a sixteenth of the budget
        cache.put(big);
        assertNull(cache.get(big.cid()));
        assertEquals(0, cache.size());
    }

    @Test
    void emptiesWhenTheSourceSaysItsBlocksChanged() throws Exception {
        NodeCache cache = new NodeCache(1 << 20);
        UnixFsNode a = dir(3, "a");
        cache.at(7);
        cache.put(a);
        cache.at(7);
        assertSame(a, cache.get(a.cid()), "same generation: kept");
        cache.at(8);
        assertNull(cache.get(a.cid()));
        assertEquals(0, cache.heldBytes());
    }
}
