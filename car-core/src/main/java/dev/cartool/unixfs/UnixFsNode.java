package dev.cartool.unixfs;

import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.MalformedBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.DagPbException;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import dev.cartool.error.Kind;

/**
 * One block read as UnixFS: a raw leaf (codec raw, the bytes are file content) or a DAG-PB node
 * with its UnixFS Data. Immutable.
 */
public final class UnixFsNode {
    /** What the node is to a user. */
    public enum Kind {
        FILE, DIRECTORY, SYMLINK
    }

    private final Cid cid;
    private final Block block;
    private final PbNode pb;
    private final UnixFsData data;

    private UnixFsNode(Cid cid, Block block, PbNode pb, UnixFsData data) {
        this.cid = cid;
        this.block = block;
        this.pb = pb;
        this.data = data;
    }

    /**
     * Reads a block as UnixFS.
     *
     * @throws MalformedBlockException if it is not DAG-PB with valid UnixFS Data, or raw
     */
    public static UnixFsNode of(Block block) throws MalformedBlockException {
        Cid cid = block.cid();
        if (cid.codec() == Multicodec.RAW) {
            return new UnixFsNode(cid, block, null, null);
        }
        if (cid.codec() != Multicodec.DAG_PB) {
            throw new MalformedBlockException(block.offset(), cid, "codec " + cid.codecName() + " is not UnixFS (dag-pb or raw)");
        }
        PbNode pb;
        try {
            pb = DagPb.decode(block.data());
        } catch (DagPbException e) {
            throw new MalformedBlockException(block.offset(), cid, "invalid DAG-PB: " + e.getMessage());
        }
        if (!pb.hasData()) {
            throw new MalformedBlockException(block.offset(), cid, "DAG-PB node without UnixFS Data");
        }
        UnixFsData data;
        try {
            data = UnixFsData.decode(pb.data());
        } catch (UnixFsFormatException e) {
            throw new MalformedBlockException(block.offset(), cid, "invalid UnixFS Data: " + e.getMessage());
        }
        if (data.type() == UnixFsData.Type.METADATA) {
            throw new MalformedBlockException(block.offset(), cid, "UnixFS Metadata nodes are not supported");
        }
        return new UnixFsNode(cid, block, pb, data);
    }

    /**
     * The block as UnixFS, or null when it is not (another codec, DAG-PB without valid UnixFS
     * Data): for callers that treat such blocks as opaque rather than broken (the gateway's
     * scopes and codec responses).
     */
    public static UnixFsNode ifUnixFs(Block block) {
        try {
            return of(block);
        } catch (MalformedBlockException e) {
            return null;
        }
    }

    public Cid cid() {
        return cid;
    }

    public Block block() {
        return block;
    }

    /** True for a raw-codec leaf: the whole block is file content. */
    public boolean isRawLeaf() {
        return pb == null;
    }

    /** The UnixFS Data, or null for a raw leaf. */
    public UnixFsData data() {
        return data;
    }

    /** The DAG-PB links (empty for a raw leaf). */
    public List<PbLink> links() {
        return pb == null ? List.of() : pb.links();
    }

    public Kind kind() {
        if (pb == null) {
            return Kind.FILE;
        }
        switch (data.type()) {
            case DIRECTORY:
            case HAMT_SHARD:
                return Kind.DIRECTORY;
            case SYMLINK:
                return Kind.SYMLINK;
            default:
                return Kind.FILE;
        }
    }

    public boolean isHamt() {
        return data != null && data.type() == UnixFsData.Type.HAMT_SHARD;
    }

    /**
     * A file's length: the raw leaf's length, else filesize (or, when absent, the sum of the
     * node's own data and its blocksizes).
     */
    public long fileSize() {
        if (pb == null) {
            return block.length();
        }
        if (data.filesize() != null) {
            return data.filesize();
        }
        long sum = data.dataLength();
        for (int i = 0; i < data.blocksizeCount(); i++) {
            sum += data.blocksize(i);
        }
        return sum;
    }

    /** Permission bits and the high mode bits, or null when the node records none. */
    public Integer mode() {
        return data == null ? null : data.mode();
    }

    public UnixFsData.Mtime mtime() {
        return data == null ? null : data.mtime();
    }

    @Override
    public String toString() {
        return "UnixFsNode[" + cid + ", " + (pb == null ? "raw" : data.type()) + "]";
    }
}
