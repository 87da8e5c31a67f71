package dev.cartool.unixfs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.car.CarReader;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.DagPbException;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import dev.cartool.testing.Fuzz;
import dev.cartool.unixfs.extract.TreeLimits;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Issue 9's campaign: UnixFS data, DAG-PB nodes, and whole trees read with one block damaged.
 * The damaged block keeps its CID (hashes are not checked here), so the damage reaches the
 * decoders and the walk: sizes that lie, links that loop, names that escape, fanouts that lie.
 */
class UnixFsFuzzProperties {
    private static final List<Block> TREE = blocks("tree.car");
    private static final Cid ROOT = TREE.get(0).cid();

    private static List<Block> blocks(String fixture) {
        List<Block> out = new ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(Fixtures.read(Fixtures.testdata(fixture))))) {
            Block b;
            while ((b = r.next()) != null) {
                out.add(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Property(tries = 2000)
    void anyBytesAsUnixFsDataOrDagPb(@ForAll @Size(max = 300) byte[] b) {
        Fuzz.cleanly("unixfs-data", b, () -> UnixFsData.decode(b), UnixFsFormatException.class);
        Fuzz.cleanly("dag-pb", b, () -> DagPb.decode(b), DagPbException.class);
        Block block = Block.of(Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, b), b);
        Fuzz.cleanly("unixfs-node", b, () -> UnixFsNode.of(block), CarException.class);
    }

    @Property(tries = 1500)
    void aTreeWithOneDamagedBlock(@ForAll int pick, @ForAll int kind, @ForAll int where, @ForAll int value) {
        // Mostly the directories and HAMT shards (the first blocks in export order), sometimes any block.
        int i = Math.floorMod(pick, pick % 3 == 0 ? TREE.size() : Math.min(TREE.size(), 40));
        Block victim = TREE.get(i);
        byte[] data = new byte[victim.length()];
        victim.dataBuffer().get(data);
        byte[] damaged = Fuzz.mutate(data, kind, where, value);
        Map<Cid, Block> map = new HashMap<>();
        for (Block b : TREE) {
            map.put(b.cid(), b);
        }
        map.put(victim.cid(), Block.of(victim.cid(), damaged));
        BlockSource src = cid -> map.get(cid);
        Fuzz.cleanly("unixfs-tree", damaged, () -> walk(new UnixFsReader(src), ROOT), CarException.class);
    }

    /** Lists and reads everything under the root, as ls and extract do, within small limits. */
    private static void walk(UnixFsReader r, Cid root) throws IOException {
        TreeLimits.Counter counter = new TreeLimits(20_000, 64L << 20).counter();
        walk(r, r.load(root), "", counter, new java.util.HashSet<>(), 0);
        r.resolve(root, List.of("tree", "sharded", "entry-00042.txt"));
    }

    private static void walk(UnixFsReader r, UnixFsNode n, String path, TreeLimits.Counter counter,
            java.util.Set<dev.cartool.cid.Multihash> ancestors, int depth) throws IOException {
        counter.entry(n.cid(), path);
        if (n.kind() == UnixFsNode.Kind.FILE) {
            counter.bytes(n.cid(), path, n.fileSize());
            r.transferTo(n, OutputStream.nullOutputStream(), k -> { });
            if (n.fileSize() > 2) {
                r.open(n).position(1).readNBytes((int) Math.min(100, n.fileSize() - 2));
            }
            return;
        }
        if (n.kind() != UnixFsNode.Kind.DIRECTORY) {
            return;
        }
        if (!ancestors.add(n.cid().multihash()) || depth > 64) {
            throw new UnixFsException(n.cid(), "cycle");
        }
        for (DirEntry e : r.entries(n)) {
            walk(r, r.load(e.cid()), path + "/" + e.name(), counter, ancestors, depth + 1);
        }
        ancestors.remove(n.cid().multihash());
    }
}
