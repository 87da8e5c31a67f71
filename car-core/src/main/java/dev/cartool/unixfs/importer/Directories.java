package dev.cartool.unixfs.importer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import dev.cartool.unixfs.Hamt;
import dev.cartool.unixfs.UnixFsData;

/**
 * Directories as {@code ipfs add} makes them: links sorted by name (bytewise), and past the
 * profile's size estimate a HAMT-sharded directory laid out by {@link Hamt} (fanout 256).
 */
final class Directories {
    /** The shards the importer writes: fanout 256, as Kubo and the JS importer. */
    private static final Hamt HAMT = Hamt.ofFanout(ImportProfile.SHARD_FANOUT);

    private final ImportProfile profile;
    private final Blocks blocks;

    Directories(ImportProfile profile, Blocks blocks) {
        this.profile = profile;
        this.blocks = blocks;
    }

    /** A node imported from the filesystem, and whether it is a directory with entries. */
    record Entry(DagNode node, boolean nonEmptyDirectory) {
    }

    /** An entry under its name in a directory. */
    record Named(String name, Entry entry) {
    }

    DagNode directory(List<Named> entries) {
        List<Named> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8),
                b.name().getBytes(StandardCharsets.UTF_8)));
        if (estimate(sorted) > ImportProfile.SHARD_THRESHOLD) {
            Bucket root = new Bucket();
            for (Named e : sorted) {
                root.put(new Placed(e.name(), e.entry().node(), Hamt.hash(e.name())), 0);
            }
            return root.flush();
        }
        List<PbLink> links = new ArrayList<>();
        List<DagNode> children = new ArrayList<>();
        for (Named e : sorted) {
            links.add(new PbLink(e.entry().node().cid(), e.name(), e.entry().node().tsize()));
            children.add(e.entry().node());
        }
        byte[] block = DagPb.encode(new PbNode(links, UnixFsData.builder(UnixFsData.Type.DIRECTORY).build().encode()));
        return new DagNode.Node(blocks.pbCid(block), block, children, 0);
    }

    /**
     * The reference importer's size estimate of a flat directory. Like it, a subdirectory that
     * has entries of its own does not count (its CID is not known when the decision is made);
     * files, symlinks and empty directories do.
     */
    private long estimate(List<Named> entries) {
        long size = profile.exactBlockSizeEstimate() ? 4 : 0; // Data field of a plain directory
        for (Named e : entries) {
            if (e.entry().nonEmptyDirectory()) {
                continue;
            }
            int name = e.name().getBytes(StandardCharsets.UTF_8).length;
            int cid = e.entry().node().cid().encodedLength();
            if (profile.exactBlockSizeEstimate()) {
                long link = 1 + varintLen(cid) + cid + 1 + varintLen(name) + name + 1 + varintLen(e.entry().node().tsize());
                size += 1 + varintLen(link) + link;
            } else {
                size += name + cid;
            }
        }
        return size;
    }

    private static int varintLen(long v) {
        return dev.cartool.cid.Varint.size(v);
    }

    /** One entry placed in a HAMT bucket, with the hash that placed it. */
    private record Placed(String name, DagNode node, long hash) {
    }

    /** A HAMT bucket being filled: each slot empty, one {@link Placed} entry, or a sub-bucket. */
    private final class Bucket {
        private final Object[] slots = new Object[HAMT.fanout()];

        void put(Placed e, int depth) {
            if (depth >= HAMT.maxDepth()) {
                throw new IllegalStateException("HAMT deeper than a 64-bit hash allows for '" + e.name() + "'");
            }
            int slot = HAMT.slot(e.hash(), depth);
            Object cur = slots[slot];
            if (cur == null) {
                slots[slot] = e;
            } else if (cur instanceof Bucket) {
                ((Bucket) cur).put(e, depth + 1);
            } else {
                Bucket b = new Bucket();
                b.put((Placed) cur, depth + 1);
                b.put(e, depth + 1);
                slots[slot] = b;
            }
        }

        DagNode flush() {
            List<PbLink> links = new ArrayList<>();
            List<DagNode> children = new ArrayList<>();
            java.util.BitSet occupied = new java.util.BitSet(slots.length);
            for (int i = 0; i < slots.length; i++) {
                Object s = slots[i];
                if (s == null) {
                    continue;
                }
                occupied.set(i);
                String prefix = HAMT.prefix(i);
                if (s instanceof Bucket) {
                    DagNode child = ((Bucket) s).flush();
                    links.add(new PbLink(child.cid(), prefix, child.tsize()));
                    children.add(child);
                } else {
                    Placed e = (Placed) s;
                    links.add(new PbLink(e.node().cid(), prefix + e.name(), e.node().tsize()));
                    children.add(e.node());
                }
            }
            byte[] block = DagPb.encode(new PbNode(links, HAMT.shardData(occupied).encode()));
            return new DagNode.Node(blocks.pbCid(block), block, children, 0);
        }
    }
}
