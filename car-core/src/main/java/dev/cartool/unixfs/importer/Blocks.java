package dev.cartool.unixfs.importer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.cid.Cid;
import dev.cartool.cid.HashFunction;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import dev.cartool.unixfs.UnixFsData;

/**
 * The blocks of an imported DAG and their CIDs, as {@code ipfs add} makes them: raw leaves under
 * CIDv1, or UnixFS file nodes holding the chunk under CIDv0; file nodes with their blocksizes;
 * symlinks. Everything is DAG-PB in canonical form and hashed with SHA-256.
 */
final class Blocks {
    private final int cidVersion;
    private final HashFunction sha256 = HashFunction.sha256();

    Blocks(int cidVersion) {
        this.cidVersion = cidVersion;
    }

    /** A hashed chunk, with its block when a writer wants it. */
    record LeafBlock(DagNode.Leaf leaf, ByteBuffer block) {
    }

    LeafBlock leaf(Path p, long offset, ByteBuffer buf, int length, DagNode.FileStamp stamp, boolean keepBlock) {
        if (cidVersion == 1) {
            Cid cid = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, sha256.digest(buf)));
            return new LeafBlock(new DagNode.Leaf(cid, length, p, offset, length, false, stamp),
                    keepBlock ? buf.duplicate() : null);
        }
        byte[] bytes = new byte[length];
        buf.duplicate().get(bytes);
        byte[] block = wrapLeaf(bytes);
        return new LeafBlock(new DagNode.Leaf(pbCid(block), block.length, p, offset, length, true, stamp),
                keepBlock ? ByteBuffer.wrap(block) : null);
    }

    /** A leaf of {@code length} bytes whose CID has a zero digest: a stand-in for planning. */
    DagNode standIn(int length) {
        Multihash zero = Multihash.of(Multicodec.SHA2_256, new byte[32]);
        if (cidVersion == 1) {
            return new DagNode.Leaf(Cid.v1(Multicodec.RAW, zero), length, null, 0, length, false, null);
        }
        return new DagNode.Leaf(Cid.v0(zero), wrapLeaf(new byte[length]).length, null, 0, length, true, null);
    }

    /** The DAG-PB block of a CIDv0 leaf: a UnixFS file node holding the chunk. */
    static byte[] wrapLeaf(byte[] data) {
        UnixFsData d = UnixFsData.builder(UnixFsData.Type.FILE).data(data.length == 0 ? null : data)
                .filesize((long) data.length).build();
        return DagPb.encode(new PbNode(List.of(), d.encode()));
    }

    /** A file node over {@code children}, with their content sizes as its blocksizes. */
    DagNode fileNode(List<DagNode> children) {
        long[] sizes = new long[children.size()];
        List<PbLink> links = new ArrayList<>(children.size());
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            DagNode c = children.get(i);
            sizes[i] = c.contentSize();
            total += sizes[i];
            links.add(new PbLink(c.cid(), "", c.tsize()));
        }
        UnixFsData d = UnixFsData.builder(UnixFsData.Type.FILE).filesize(total).blocksizes(sizes).build();
        byte[] block = DagPb.encode(new PbNode(links, d.encode()));
        return new DagNode.Node(pbCid(block), block, children, total);
    }

    DagNode symlink(String target) {
        UnixFsData d = UnixFsData.builder(UnixFsData.Type.SYMLINK).data(target.getBytes(StandardCharsets.UTF_8)).build();
        byte[] block = DagPb.encode(new PbNode(List.of(), d.encode()));
        return new DagNode.Node(pbCid(block), block, List.of(), 0);
    }

    /** The CID of a DAG-PB block: CIDv1 dag-pb, or CIDv0. */
    Cid pbCid(byte[] block) {
        Multihash mh = Multihash.of(Multicodec.SHA2_256, sha256.digest(block, 0, block.length));
        return cidVersion == 0 ? Cid.v0(mh) : Cid.v1(Multicodec.DAG_PB, mh);
    }
}
